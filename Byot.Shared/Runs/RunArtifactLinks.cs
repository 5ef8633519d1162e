namespace Byot.Shared.Runs;

public sealed record RunArtifactLinks(string Self);
