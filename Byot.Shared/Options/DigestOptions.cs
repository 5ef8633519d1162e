namespace Byot.Shared.Options;

/// <summary>The weekly digest (the DigestOnly routes, P3 by default, plus tests marked flaky).</summary>
public sealed class DigestOptions
{
    /// <summary>Channel names, comma-separated.</summary>
    public string Channels { get; set; } = "";

    public IReadOnlyList<string> ChannelNames => AlertingOptions.SplitList(Channels);
}
