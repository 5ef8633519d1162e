namespace Byot.Shared.Domain.Alerting;

public static class NotificationKind
{
    public const string Trigger = "trigger";
    public const string Reminder = "reminder";
    public const string Resolve = "resolve";
    public const string Digest = "digest";
}
