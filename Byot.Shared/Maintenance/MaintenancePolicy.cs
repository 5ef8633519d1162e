namespace Byot.Shared.Maintenance;

/// <summary>What maintenance windows mean for one test at one moment. Pure: the windows and the test's tags come in.</summary>
public static class MaintenancePolicy
{
    /// <summary>The window of <paramref name="mode"/> in force for the test at <paramref name="at"/>, if any (the
    /// one that started first, so the name a skipped run records is stable).</summary>
    public static MaintenanceWindow? InForce(IEnumerable<MaintenanceWindow> windows, string mode, Guid testId, IReadOnlyCollection<string> testTags, DateTimeOffset at) =>
        windows
            .Where(w => w.Mode == mode && w.Covers(testId, testTags))
            .Select(w => (Window: w, Occurrence: MaintenanceCalendar.ActiveAt(w, at)))
            .Where(x => x.Occurrence is not null)
            .OrderBy(x => x.Occurrence!.Start).ThenBy(x => x.Window.Id)
            .Select(x => x.Window)
            .FirstOrDefault();

    // Enough for any real chain of back-to-back windows; a longer one is cut rather than followed forever.
    private const int MaxChained = 20;

    /// <summary>Until when mute windows hold the test's notifications at <paramref name="at"/>: the end of the window
    /// in force, or of the last of the windows that follow on without a gap; null when none is in force.</summary>
    public static MuteHold? MutedUntil(IReadOnlyList<MaintenanceWindow> windows, Guid testId, IReadOnlyCollection<string> testTags, DateTimeOffset at)
    {
        MuteHold? hold = null;
        var moment = at;
        for (var i = 0; i < MaxChained; i++)
        {
            var next = windows
                .Where(w => w.Mode == MaintenanceWindow.Mute && w.Covers(testId, testTags))
                .Select(w => (Window: w, Occurrence: MaintenanceCalendar.ActiveAt(w, moment)))
                .Where(x => x.Occurrence is not null)
                .OrderByDescending(x => x.Occurrence!.End)
                .FirstOrDefault();
            if (next.Window is null)
            {
                break;
            }

            hold = new MuteHold(hold?.WindowName ?? next.Window.Name, next.Occurrence!.End);
            moment = next.Occurrence.End;
        }

        return hold;
    }
}
