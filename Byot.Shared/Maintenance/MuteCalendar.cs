using Byot.Shared.Storage;

namespace Byot.Shared.Maintenance;

/// <summary>Reads the mute windows and a test's tags for the delivery side, which holds what a mute window covers
/// the way it holds a business-hours route: routing and reminders ask it when they may go out.</summary>
public sealed class MuteCalendar(MaintenanceStore maintenance, TagStore tags)
{
    public async Task<MuteHold?> HeldAsync(Guid? testId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (testId is not { } id)
        {
            return null;
        }

        var windows = (await maintenance.ListAsync(cancellationToken)).Where(w => w.Mode == MaintenanceWindow.Mute).ToList();
        if (windows.Count == 0)
        {
            return null;
        }

        var tagged = await tags.ForTestsAsync([id], cancellationToken);
        return MaintenancePolicy.MutedUntil(windows, id, tagged.GetValueOrDefault(id) ?? [], at);
    }
}
