using Byot.Shared.Domain;
using Byot.Shared.Domain.Alerting;
using Byot.Shared.Maintenance;
using Byot.Shared.Storage;

namespace Byot.Shared.Completion;

/// <summary>Records a result and what it means in one unit of work: the run's final state (<see cref="RunStore"/>),
/// the facts the decision needs (<see cref="CompletionFactsReader"/>), the pure decision
/// (<see cref="CompletionRules.Decide"/>) and its writes (<see cref="CompletionWriter"/>). They commit together or not
/// at all: a result is never recorded without its decision.</summary>
public sealed class RunCompletion(UnitOfWorkFactory units, CompletionFactsReader reader, CompletionWriter writer, MuteCalendar mutes)
{
    /// <summary>Records the runner's outcome once; false when this runner no longer holds the run.</summary>
    public Task<bool> CompleteAsync(Guid runId, string runnerId, RunOutcome outcome, CancellationToken cancellationToken) =>
        RecordAsync(runId, unit => RunStore.CompleteAsync(unit, runId, runnerId, outcome, cancellationToken), cancellationToken);

    /// <summary>Closes a run that never reached a runner (for example a message that could not be handled); an
    /// infra_error counts towards the operator's burst. False when the run had ended already.</summary>
    public Task<bool> FailUnstartedAsync(Guid runId, RunStatus status, string error, CancellationToken cancellationToken) =>
        RecordAsync(runId, unit => RunStore.FailUnstartedAsync(unit, runId, status, error, cancellationToken), cancellationToken);

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

    /// <summary>Records one run's result with <paramref name="record"/> and, when it took, what it means.</summary>
    private async Task<bool> RecordAsync(Guid runId, Func<UnitOfWork, Task<bool>> record, CancellationToken cancellationToken)
    {
        await using var unit = await units.BeginAsync(cancellationToken);
        if (!await record(unit))
        {
            return false;
        }

        var facts = await reader.ReadAsync(unit, runId, cancellationToken);
        if (facts?.Run is { } run && await mutes.HeldAsync(run.TestId, facts.Now, cancellationToken) is not null)
        {
            // Decided when the result is recorded, as the delivery side decides its holds: the result stays (and
            // counts for incidents, which open silently), but uptime leaves it out.
            await RunStore.MarkInMaintenanceAsync(unit, runId, cancellationToken);
        }

        await DecideAsync(unit, facts, runId, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return true;
    }

    private async Task DecideAsync(UnitOfWork unit, CompletionFacts? facts, CancellationToken cancellationToken) =>
        await DecideAsync(unit, facts, null, cancellationToken);

    /// <summary>Decides and writes; a join that did not take (the dependency's incident resolved while this result was
    /// decided) reads the facts again, now that the resolution has committed, and decides once more.</summary>
    private async Task DecideAsync(UnitOfWork unit, CompletionFacts? facts, Guid? runId, CancellationToken cancellationToken)
    {
        while (facts is not null && !await writer.WriteAsync(unit, facts, CompletionRules.Decide(facts), cancellationToken))
        {
            facts = runId is { } id ? await reader.ReadAsync(unit, id, cancellationToken) : null;
        }
    }
}
