namespace Byot.Shared.Runs;

public sealed record RunLinks(string Self, string Logs)
{
    /// <summary>The files the run kept from /artifacts (screenshots, traces, reports).</summary>
    public string? Artifacts { get; init; }

    public static RunLinks For(Guid runId) => new($"/runs/{runId:D}", $"/runs/{runId:D}/logs") { Artifacts = $"/runs/{runId:D}/artifacts" };
}
