namespace Byot.Shared.Catalog;

public sealed record ScheduleView(string Expression, string TimeZone, DateTimeOffset NextRunAt);
