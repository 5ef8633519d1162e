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
    /// <param name="cases">Given every output line as masked for the log, also past the log's cap.</param>
    public async Task<RunLogWriter> OpenAsync(TestRun run, SecretMasker masker, CaseCollector cases, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var blobName = run.LogBlobName ?? RunStore.LogBlobName(run.Id);
        var existing = await logs.OpenForAppendAsync(blobName, cancellationToken);
        return new RunLogWriter(logs, blobName, o.LogCapBytes, TimeSpan.FromMilliseconds(o.LogFlushMilliseconds), time, masker,
            new LogBufferPolicy(o.LogBufferBytes, o.LogRetryAttempts, TimeSpan.FromMilliseconds(o.LogRetryDelayMilliseconds)),
            existing, (bytes, ct) => runs.UpdateLogBytesAsync(run.Id, o.Id, bytes, ct), cases.Line);
    }
}
