namespace Byot.Shared.Options;

/// <summary>Who hears about an incident of one severity, and when.</summary>
public sealed class SeverityRouteOptions
{
    /// <summary>Channel names (keys of <c>Byot:Alerts:Channels</c>), comma-separated.</summary>
    public string Channels { get; set; } = "";

    /// <summary>Hold notifications outside business hours until the window opens.</summary>
    public bool BusinessHoursOnly { get; set; }

    /// <summary>Report incidents in the weekly digest instead of notifying when they happen.</summary>
    public bool DigestOnly { get; set; }

    /// <summary>Remind chat channels while an incident stays open; 0 turns reminders off. A test may override it.</summary>
    public int ReminderMinutes { get; set; }

    /// <summary>Consecutive passes that resolve an incident. A test may override it.</summary>
    public int ResolveAfterPasses { get; set; } = 1;

    /// <summary>Later stages: channels that hear of an incident still unacknowledged so many minutes after its first
    /// page (the route's own channels are stage 1).</summary>
    public List<EscalationStageOptions> Escalation { get; set; } = [];

    public IReadOnlyList<string> ChannelNames => AlertingOptions.SplitList(Channels);
}
