using Byot.Runner.Options;
using Byot.Shared.Artifacts;
using Byot.Shared.Domain;
using Byot.Shared.Secrets;
using Byot.Shared.Storage;
using Microsoft.Extensions.Options;

namespace Byot.Runner.Worker;

/// <summary>Opens a run's log blob for appending (after what an earlier attempt wrote) as a masking, capped writer
/// that keeps the run's log size up to date.</summary>
internal sealed class RunLogs(LogStore logs, RunStore runs, IOptions<RunnerOptions> options, TimeProvider time)
{
    public async Task<RunLogWriter> OpenAsync(TestRun run, SecretMasker masker, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var blobName = run.LogBlobName ?? RunStore.LogBlobName(run.Id);
        var existing = await logs.OpenForAppendAsync(blobName, cancellationToken);
        return new RunLogWriter(logs, blobName, o.LogCapBytes, TimeSpan.FromMilliseconds(o.LogFlushMilliseconds), time, masker,
            new LogBufferPolicy(o.LogBufferBytes, o.LogRetryAttempts, TimeSpan.FromMilliseconds(o.LogRetryDelayMilliseconds)),
            existing, (bytes, ct) => runs.UpdateLogBytesAsync(run.Id, o.Id, bytes, ct));
    }
}
