namespace Byot.Shared.Options;

/// <summary>One later stage of a severity's route, for example <c>Byot:Alerts:P0:Escalation:0</c>: when an incident
/// is still unacknowledged <see cref="AfterMinutes"/> after its first page, these channels hear of it too.</summary>
public sealed class EscalationStageOptions
{
    /// <summary>Minutes after the first page (not after the previous stage); each stage's must be larger than the last's.</summary>
    public int AfterMinutes { get; set; }

    /// <summary>Channel names (keys of <c>Byot:Alerts:Channels</c>), comma-separated.</summary>
    public string Channels { get; set; } = "";

    public IReadOnlyList<string> ChannelNames => AlertingOptions.SplitList(Channels);
}
