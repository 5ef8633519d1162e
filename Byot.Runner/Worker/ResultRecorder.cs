using Byot.Shared.Completion;
using Byot.Shared.Domain;
using Byot.Shared.Storage;

namespace Byot.Runner.Worker;

/// <summary>Writes a run's result (or hands the run back for another attempt) through the Runner's database retry, so
/// a database that restarts or drops its connections while a run goes on (docs/reliability.md row 21) does not lose the result.
/// The store's updates are conditional on this runner holding the run, so a retry after a write that committed but
/// whose reply was lost changes nothing; the run is then read back, and a row already in exactly the state this runner
/// wrote counts as recorded. The result is written once.</summary>
internal sealed class ResultRecorder(RunStore runs, RunCompletion completion, DatabaseRetry retry)
{
    /// <summary>Records the final outcome; false when the run is no longer this runner's (taken over).</summary>
    public Task<bool> CompleteAsync(Guid runId, string runnerId, RunOutcome outcome, CancellationToken cancellationToken) =>
        retry.ExecuteAsync(
            async (retrying, ct) =>
            {
                if (await completion.CompleteAsync(runId, runnerId, outcome, ct))
                {
                    return true;
                }

                if (!retrying)
                {
                    return false;
                }

                // An earlier try may have committed before its connection broke.
                var run = await runs.FindAsync(runId, ct);
                return run is { FinishedAt: not null } && run.RunnerId == runnerId && run.Status == outcome.Status;
            },
            cancellationToken);

    /// <summary>Hands the run back to the queue for its next attempt; false when it is no longer this runner's.</summary>
    public Task<bool> RequeueAsync(TestRun claimed, string runnerId, string error, CancellationToken cancellationToken) =>
        retry.ExecuteAsync(
            async (retrying, ct) =>
            {
                if (await runs.RequeueAsync(claimed.Id, runnerId, error, ct))
                {
                    return true;
                }

                if (!retrying)
                {
                    return false;
                }

                var run = await runs.FindAsync(claimed.Id, ct);
                return run is { Status: RunStatus.Queued, RunnerId: null } && run.Attempt == claimed.Attempt && run.Error == error;
            },
            cancellationToken);
}
