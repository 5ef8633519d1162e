namespace Byot.Shared.Options;

/// <summary>Where infrastructure trouble goes: bursts of infra_error runs never page a test's owners.</summary>
public sealed class OperatorRouteOptions
{
    /// <summary>Channel names, comma-separated.</summary>
    public string Channels { get; set; } = "";

    /// <summary>infra_error runs within <see cref="InfraErrorWindowMinutes"/> that open one operator incident.</summary>
    public int InfraErrorBurst { get; set; } = 3;

    public int InfraErrorWindowMinutes { get; set; } = 10;

    public IReadOnlyList<string> ChannelNames => AlertingOptions.SplitList(Channels);
}
