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
}
