using Byot.Shared.Domain;
using Byot.Shared.Domain.Alerting;
using Byot.Shared.Options;
using Byot.Shared.Storage;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Completion;

/// <summary>Reads, in the unit of work that recorded a result, what <see cref="CompletionRules.Decide"/> looks at;
/// the rows it decides about stay locked until that unit ends, so concurrent results of one test (or concurrent
/// infra_errors) are decided one after the other.</summary>
public sealed class CompletionFactsReader(IOptions<AlertingOptions> options, TimeProvider time)
{
    /// <summary>Failing cases an alert names; the count says how many more there are.</summary>
    public const int NamedCases = 5;

    /// <summary>The facts of a recorded run; null when the run is gone.</summary>
    public async Task<CompletionFacts?> ReadAsync(UnitOfWork unit, Guid runId, CancellationToken cancellationToken) =>
        await AlertStore.ReadRunAsync(unit, runId, cancellationToken) is { } run
            ? await ReadAsync(unit, run, run.Error, cancellationToken)
            : null;

    /// <summary>The facts of runs the lease sweep closed as infra_error, which have no result of their own.</summary>
    public Task<CompletionFacts> ReadSweepAsync(UnitOfWork unit, string detail, CancellationToken cancellationToken) =>
        ReadAsync(unit, null, detail, cancellationToken);

    private async Task<CompletionFacts> ReadAsync(UnitOfWork unit, AlertRun? run, string? latestError, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var policy = new AlertPolicy(o.Route(run?.Severity ?? Severity.P2).ResolveAfterPasses, o.Flaky.Rule(), o.Operator.InfraErrorBurst);
        var facts = new CompletionFacts(run, null, null, null, policy, time.GetUtcNow(), Guid.NewGuid());
        if (run is null || run.Status == RunStatus.InfraError)
        {
            // Serialises burst checks, so concurrent infra_errors are counted together.
            await AlertStore.LockInfraBurstAsync(unit, cancellationToken);
            var count = await AlertStore.CountInfraErrorsAsync(unit, TimeSpan.FromMinutes(o.Operator.InfraErrorWindowMinutes), cancellationToken);
            return facts with
            {
                Infra = new InfraErrors(count, latestError),
                OpenOperatorIncident = await AlertStore.FindOpenOperatorIncidentAsync(unit, cancellationToken),
            };
        }

        if (!run.IsCounted)
        {
            // Cancelled and skipped runs did not run the test: nothing to decide against.
            return facts;
        }

        var state = await AlertStore.LockStateAsync(unit, run.TestId, cancellationToken);
        var window = LocationRule.Window(run.FailureThreshold, run.ResolveAfterPasses ?? policy.ResolveAfterPasses);
        return facts with
        {
            Test = new TestHistory(state, await AlertStore.RecentCountedAsync(unit, run.TestId, o.Flaky.Window, cancellationToken)),
            OpenOperatorIncident = await AlertStore.FindOpenOperatorIncidentAsync(unit, cancellationToken),
            Locations = await AlertStore.ReadLocationHistoryAsync(unit, run.TestId, window, cancellationToken),
            DependencyIncidents = await DependencyStore.OpenDependencyIncidentsAsync(unit, run.TestId, cancellationToken),
            Cases = await CaseFactsStore.ReadAsync(unit, run.RunId, o.Flaky.Window, NamedCases, facts.Now, cancellationToken),
        };
    }
}
