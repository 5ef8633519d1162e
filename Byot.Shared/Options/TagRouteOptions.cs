using Byot.Shared.Domain;

namespace Byot.Shared.Options;

/// <summary>One tag route, for example <c>Byot:Alerts:TagRoutes:0</c>: incidents of tests carrying <see cref="Tag"/>
/// also reach <see cref="Channels"/>, on top of their severity's route (never instead of it, so a tag cannot take a
/// page away from the on-call channel), with the severity route's timing (business hours, digest only).</summary>
public sealed class TagRouteOptions
{
    /// <summary>The tag a test must carry, such as <c>team:payments</c>.</summary>
    public string Tag { get; set; } = "";

    /// <summary>Channel names (keys of <c>Byot:Alerts:Channels</c>), comma-separated.</summary>
    public string Channels { get; set; } = "";

    /// <summary>Comma-separated severities the route applies to (<c>P0,P1</c>); empty for all.</summary>
    public string Severities { get; set; } = "";

    public IReadOnlyList<string> ChannelNames => AlertingOptions.SplitList(Channels);

    public IReadOnlyList<string> SeverityNames => AlertingOptions.SplitList(Severities);

    public bool Applies(Severity severity, IReadOnlyCollection<string> testTags) =>
        testTags.Contains(Tag, StringComparer.Ordinal)
        && (SeverityNames.Count == 0 || SeverityNames.Contains(severity.ToString(), StringComparer.OrdinalIgnoreCase));
}
