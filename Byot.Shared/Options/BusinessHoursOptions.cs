namespace Byot.Shared.Options;

/// <summary>The window in which business-hours routes (P2 by default) may notify.</summary>
public sealed class BusinessHoursOptions
{
    /// <summary>IANA time zone, for example <c>Europe/Berlin</c>.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Days of the week, comma-separated English names.</summary>
    public string Days { get; set; } = "Monday,Tuesday,Wednesday,Thursday,Friday";

    /// <summary>Local opening time, <c>HH:mm</c>.</summary>
    public string Start { get; set; } = "09:00";

    /// <summary>Local closing time, <c>HH:mm</c>, after <see cref="Start"/>.</summary>
    public string End { get; set; } = "17:00";
}
