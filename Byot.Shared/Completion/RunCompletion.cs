using Byot.Shared.Domain;
using Byot.Shared.Domain.Alerting;
using Byot.Shared.Storage;

namespace Byot.Shared.Completion;

/// <summary>Records a result and what it means in one unit of work: the run's final state (<see cref="RunStore"/>),
/// the facts the decision needs (<see cref="CompletionFactsReader"/>), the pure decision
/// (<see cref="CompletionRules.Decide"/>) and its writes (<see cref="CompletionWriter"/>). They commit together or not
/// at all: a result is never recorded without its decision.</summary>
public sealed class RunCompletion(UnitOfWorkFactory units, CompletionFactsReader reader, CompletionWriter writer)
{
    /// <summary>Records the runner's outcome once; false when this runner no longer holds the run.</summary>
    public async Task<bool> CompleteAsync(Guid runId, string runnerId, RunOutcome outcome, CancellationToken cancellationToken)
    {
        await using var unit = await units.BeginAsync(cancellationToken);
        if (!await RunStore.CompleteAsync(unit, runId, runnerId, outcome, cancellationToken))
        {
            return false;
        }

        await DecideAsync(unit, await reader.ReadAsync(unit, runId, cancellationToken), cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Closes a run that never reached a runner (for example a message that could not be handled); an
    /// infra_error counts towards the operator's burst. False when the run had ended already.</summary>
    public async Task<bool> FailUnstartedAsync(Guid runId, RunStatus status, string error, CancellationToken cancellationToken)
    {
        await using var unit = await units.BeginAsync(cancellationToken);
        if (!await RunStore.FailUnstartedAsync(unit, runId, status, error, cancellationToken))
        {
            return false;
        }

        await DecideAsync(unit, await reader.ReadAsync(unit, runId, cancellationToken), cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Runs whose runner stopped renewing the lease: back to queued while attempts remain, otherwise closed
    /// as infra_error, which count towards the operator's burst.</summary>
    public async Task<(List<Guid> Requeued, int Closed)> RecoverExpiredLeasesAsync(TimeSpan grace, int maxAttempts, CancellationToken cancellationToken)
    {
        await using var unit = await units.BeginAsync(cancellationToken);
        var (requeued, closed) = await RunStore.RecoverExpiredLeasesAsync(unit, grace, maxAttempts, cancellationToken);
        if (closed > 0)
        {
            var detail = $"{closed} run(s) closed as infra_error: their runner stopped renewing its lease.";
            await DecideAsync(unit, await reader.ReadSweepAsync(unit, detail, cancellationToken), cancellationToken);
        }

        await unit.CommitAsync(cancellationToken);
        return (requeued, closed);
    }

    private async Task DecideAsync(UnitOfWork unit, CompletionFacts? facts, CancellationToken cancellationToken)
    {
        if (facts is not null)
        {
            await writer.WriteAsync(unit, facts, CompletionRules.Decide(facts), cancellationToken);
        }
    }
}
