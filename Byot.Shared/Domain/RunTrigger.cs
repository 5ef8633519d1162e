namespace Byot.Shared.Domain;

public static class RunTrigger
{
    public const string Manual = "manual";
    public const string Schedule = "schedule";
    public const string Retry = "retry";
}
