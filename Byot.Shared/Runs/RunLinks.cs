namespace Byot.Shared.Runs;

public sealed record RunLinks(string Self, string Logs)
{
    public static RunLinks For(Guid runId) => new($"/runs/{runId:D}", $"/runs/{runId:D}/logs");
}
