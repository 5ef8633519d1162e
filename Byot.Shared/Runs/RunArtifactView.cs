using Byot.Shared.Domain;

namespace Byot.Shared.Runs;

/// <summary>A file a run kept from /artifacts, as the API lists it; <see cref="Links"/> downloads it.</summary>
public sealed record RunArtifactView(string Path, long SizeBytes, string ContentType, bool Inline, RunArtifactLinks Links)
{
    public static RunArtifactView From(RunArtifact artifact)
    {
        var presentation = ArtifactPresentation.For(artifact.Path);
        var escaped = string.Join('/', artifact.Path.Split('/').Select(Uri.EscapeDataString));
        return new RunArtifactView(artifact.Path, artifact.SizeBytes, presentation.ContentType, presentation.Inline,
            new RunArtifactLinks($"/runs/{artifact.RunId:D}/artifacts/{escaped}"));
    }
}
