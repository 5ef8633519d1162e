namespace Byot.Shared.Domain.Alerting;

public static class NotificationKind
{
    public const string Trigger = "trigger";
    public const string Reminder = "reminder";
    public const string Resolve = "resolve";

    /// <summary>A later stage of the route: the incident stayed unacknowledged past the stage's delay.</summary>
    public const string Escalation = "escalation";
    public const string Digest = "digest";
}
