namespace Byot.Shared.Tests;

public sealed record ScheduleView(string Expression, string TimeZone, DateTimeOffset NextRunAt);
