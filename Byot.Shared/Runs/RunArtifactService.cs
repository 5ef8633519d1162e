using Byot.Shared.Artifacts;
using Byot.Shared.Storage;
using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Runs;

/// <summary>Lists and opens the files a run kept. A download is looked up among the run's recorded files by its
/// exact path, and the blob name comes from that row: nothing in the request ever names a blob.</summary>
public sealed class RunArtifactService(RunStore runs, ArtifactStore store)
{
    public async Task<IReadOnlyList<RunArtifactView>> ListAsync(Guid runId, CancellationToken cancellationToken)
    {
        await FindRunAsync(runId, cancellationToken);
        return [.. (await runs.ListArtifactsAsync(runId, cancellationToken)).Select(RunArtifactView.From)];
    }

    public async Task<(RunArtifactView Artifact, Stream Content)> OpenAsync(Guid runId, string? path, CancellationToken cancellationToken)
    {
        await FindRunAsync(runId, cancellationToken);
        var artifact = (await runs.ListArtifactsAsync(runId, cancellationToken)).FirstOrDefault(a => a.Path == path)
            ?? throw new Problems.NotFoundException("not-found", "Unknown artifact",
                $"Run {runId:D} kept no file '{Shorten(path)}'. GET /runs/{runId:D}/artifacts lists the files it kept.");
        return (RunArtifactView.From(artifact), await store.OpenReadAsync(artifact.BlobName, cancellationToken));
    }

    private async Task FindRunAsync(Guid runId, CancellationToken cancellationToken) =>
        _ = await runs.FindAsync(runId, cancellationToken) ?? throw P.NotFound("run", runId);

    private static string Shorten(string? path) => path is null ? "" : path.Length <= 200 ? path : path[..200] + "…";
}
