using Byot.Shared.Artifacts;
using Byot.Shared.Options;
using Byot.Shared.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Runs;

/// <summary>Keeps run history bounded: finished runs queued more than <see cref="RetentionOptions.Days"/> ago lose
/// their log and artifact blobs, then are summarised into <c>run_days</c> and deleted (cases cascade), in batches, a
/// bounded amount per call. Blobs go first, so a crash between the two leaves a row whose blobs are gone (deleted
/// again next time, which is no error), never a blob no row names. Idempotent, and safe on several instances.</summary>
public sealed partial class RunRetention(
    RetentionStore store,
    LogStore logs,
    ArtifactStore artifacts,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RunRetention> logger)
{
    public const int BatchSize = 1_000;

    /// <summary>Batches per call: 10,000 runs per sweep (every 30 s) is 28 M a day, past what one Postgres keeps up
    /// with anyway (docs/scale.md).</summary>
    public const int MaxBatches = 10;

    private const int BlobDeletesInFlight = 16;

    /// <summary>Deletes up to <see cref="MaxBatches"/> batches of expired runs; returns how many runs were deleted.</summary>
    public async Task<int> ApplyAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().AddDays(-options.Value.Days);
        var deleted = 0;
        for (var batch = 0; batch < MaxBatches; batch++)
        {
            var expired = await store.ExpiredAsync(cutoff, BatchSize, cancellationToken);
            if (expired.Count == 0)
            {
                break;
            }

            await Parallel.ForEachAsync(
                expired,
                new ParallelOptions { MaxDegreeOfParallelism = BlobDeletesInFlight, CancellationToken = cancellationToken },
                async (run, ct) =>
                {
                    if (run.LogBlob is { } log)
                    {
                        await logs.DeleteAsync(log, ct);
                    }

                    foreach (var artifact in run.ArtifactBlobs)
                    {
                        await artifacts.DeleteAsync(artifact, ct);
                    }
                });
            deleted += await store.SummariseAndDeleteAsync([.. expired.Select(e => e.RunId)], cutoff, cancellationToken);
            if (expired.Count < BatchSize)
            {
                break;
            }
        }

        if (deleted > 0)
        {
            LogDeleted(deleted, cutoff);
        }

        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Count} runs queued before {Cutoff:o}, summarised per day")]
    private partial void LogDeleted(int count, DateTimeOffset cutoff);
}
