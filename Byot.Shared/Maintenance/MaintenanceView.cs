namespace Byot.Shared.Maintenance;

/// <summary>A window as the API shows it: its definition, the occurrence in force now (if any) and the next one.</summary>
public sealed record MaintenanceView(MaintenanceWindow Window, MaintenanceOccurrence? Current, MaintenanceOccurrence? Next)
{
    public string Self => $"/maintenance/{Window.Id:D}";

    public static MaintenanceView At(MaintenanceWindow window, DateTimeOffset now) =>
        new(window, MaintenanceCalendar.ActiveAt(window, now), MaintenanceCalendar.NextAfter(window, now));
}
