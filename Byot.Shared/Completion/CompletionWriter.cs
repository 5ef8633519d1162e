using Byot.Shared.Alerts;
using Byot.Shared.Domain.Alerting;
using Byot.Shared.Options;
using Byot.Shared.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Completion;

/// <summary>Writes a <see cref="CompletionDecision"/> in the unit of work that recorded the result: incidents opened,
/// counted and resolved, one incident event per opening or resolution into the outbox (channel <c>@route</c>; the
/// delivery side routes it), and the test's alert state. Every write is conditional, so a step that does not take
/// (an incident already open, or already resolved) records no event.</summary>
public sealed partial class CompletionWriter(IOptions<AlertingOptions> options, ILogger<CompletionWriter> logger)
{
    // Enough runs for an operator to see the pattern; the count says how many there were in all.
    private const int BurstRunsListed = 10;

    /// <summary>False, with nothing written, when the decision joined a dependency's incident that resolved since its
    /// facts were read (the join waits for that resolution's transaction): the caller reads the facts again and
    /// decides afresh.</summary>
    public async Task<bool> WriteAsync(UnitOfWork unit, CompletionFacts facts, CompletionDecision decision, CancellationToken cancellationToken)
    {
        // A join goes first, so a stale one leaves nothing written.
        foreach (var join in decision.Steps.OfType<IncidentJoin>())
        {
            if (!await DependencyStore.TryJoinAsync(unit, join.Dependency.IncidentId, join.Run.TestId, join.Run.RunId, facts.Now, cancellationToken))
            {
                return false;
            }

            LogJoined(join.Run.TestId, join.Dependency.IncidentId, join.Dependency.DependencyTestId);
        }

        Guid? notOpened = null;
        foreach (var step in decision.Steps)
        {
            switch (step)
            {
                case DependentRecovery recovery:
                    await DependencyStore.RecordRecoveryAsync(unit, recovery.IncidentId, recovery.Run.TestId, recovery.Run.RunId, facts.Now, cancellationToken);
                    break;
                case IncidentOpening opening when !await OpenAsync(unit, facts, opening, decision.Cases, cancellationToken):
                    notOpened = opening.Incident.Id;
                    break;
                case IncidentFailure failure:
                    await AlertStore.RecordFailureAsync(unit, failure.IncidentId, failure.RunId, cancellationToken);
                    break;
                case IncidentResolution resolution:
                    await ResolveAsync(unit, facts, resolution, decision.Cases, cancellationToken);
                    break;
            }
        }

        if (decision.QuarantinedOnly && facts.Run is { } run)
        {
            await AlertStore.MarkQuarantinedOnlyAsync(unit, run.RunId, cancellationToken);
        }

        if (decision.State is { } state)
        {
            // An incident that did not open is not the test's open incident.
            await AlertStore.SaveStateAsync(unit, notOpened is { } id && state.OpenIncidentId == id ? state with { OpenIncidentId = null } : state, cancellationToken);
            if (decision.BecameFlaky)
            {
                LogFlaky(state.TestId, state.Flips);
            }
        }

        return true;
    }

    private async Task<bool> OpenAsync(UnitOfWork unit, CompletionFacts facts, IncidentOpening opening, AlertCases? cases, CancellationToken cancellationToken)
    {
        if (await AlertStore.TryOpenIncidentAsync(unit, opening.Incident, opening.Run?.RunId, cancellationToken) is not { } incident)
        {
            return false;
        }

        OperatorBurst? burst = null;
        if (incident.Kind == Incident.OperatorKind)
        {
            var minutes = options.Value.Operator.InfraErrorWindowMinutes;
            var (runs, runners, since) = await AlertStore.ReadInfraBurstAsync(unit, TimeSpan.FromMinutes(minutes), BurstRunsListed, cancellationToken);
            burst = new OperatorBurst(facts.Infra?.InWindow ?? incident.FailureCount, minutes, since ?? facts.Now, runs, runners, opening.Detail);
            LogOperatorOpened(incident.Id, burst.Count);
        }
        else
        {
            LogOpened(incident.Id, opening.Run?.TestId, incident.Severity, incident.FailureCount);
        }

        await RecordEventAsync(unit, NotificationKind.Trigger, incident, opening.Run, opening.Detail, facts.Now, burst, cases, cancellationToken);
        return true;
    }

    private async Task ResolveAsync(UnitOfWork unit, CompletionFacts facts, IncidentResolution resolution, AlertCases? cases, CancellationToken cancellationToken)
    {
        if (await AlertStore.ResolveIncidentAsync(unit, resolution.IncidentId, resolution.Run.RunId, facts.Now, cancellationToken)
            && await AlertStore.FindIncidentAsync(unit, resolution.IncidentId, cancellationToken) is { } incident)
        {
            await RecordEventAsync(unit, NotificationKind.Resolve, incident, resolution.Run, null, facts.Now, null, cases, cancellationToken);
            LogResolved(incident.Id, resolution.Run.TestId);
        }
    }

    private static Task<bool> RecordEventAsync(
        UnitOfWork unit, string kind, Incident incident, AlertRun? run, string? detail, DateTimeOffset now, OperatorBurst? burst, AlertCases? cases, CancellationToken cancellationToken) =>
        AlertStore.EnqueueAsync(unit,
            new OutboxNotification(Guid.NewGuid(), incident.Id, kind, NotificationPlanner.RouteChannel, $"{incident.DedupKey}:{kind}",
                AlertPayload.For(kind, incident, run, detail, now, burst: burst, cases: cases), "pending", 0, now, null, null),
            cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Incident {IncidentId} opened for test {TestId} ({Severity}) after {Failures} consecutive failures")]
    private partial void LogOpened(Guid incidentId, Guid? testId, string severity, int failures);

    [LoggerMessage(Level = LogLevel.Information, Message = "Incident {IncidentId} resolved by a run of test {TestId}")]
    private partial void LogResolved(Guid incidentId, Guid testId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operator incident {IncidentId} opened: {Count} infra_error runs in the window")]
    private partial void LogOperatorOpened(Guid incidentId, long count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Test {TestId} joined incident {IncidentId} of its dependency {DependencyId} instead of opening its own")]
    private partial void LogJoined(Guid testId, Guid incidentId, Guid dependencyId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Test {TestId} marked flaky ({Flips} flips in its recent runs)")]
    private partial void LogFlaky(Guid testId, int flips);
}
