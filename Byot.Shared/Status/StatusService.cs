using System.Security.Cryptography;
using System.Text;
using Byot.Shared.Artifacts;
using Byot.Shared.Domain;
using Byot.Shared.Domain.Alerting;
using Byot.Shared.Options;
using Byot.Shared.Storage;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Status;

/// <summary>Builds the green/red board from run history: only failed, timed_out and oom count against a flow (an
/// infrastructure error is not the flow's fault), a flow is red once its consecutive failures reach its
/// threshold — the same rule that opens an incident — and flaky is the one <see cref="FlakyRule"/> alerts use.</summary>
public sealed class StatusService(
    StatusQueries queries,
    RunStore runs,
    ArtifactStore artifacts,
    IOptions<StatusOptions> options,
    IOptions<AlertingOptions> alerting,
    TimeProvider time,
    TagStore tags,
    Maintenance.MaintenanceService maintenance,
    Incidents.IncidentService incidents)
{
    private const int RecentRuns = 30;
    private static readonly TimeSpan AnnounceAhead = TimeSpan.FromDays(7);

    /// <summary>Whether the page is open to anyone.</summary>
    public bool IsPublic => options.Value.Public;

    /// <summary>The page's title, which the incident pages carry too.</summary>
    public string Title => options.Value.Title;

    /// <summary>Whether a private page has a key at all; without one nobody can open it.</summary>
    public bool HasKey => !string.IsNullOrEmpty(options.Value.AccessKey);

    /// <summary>Whether a request may read the board: always when public, else with the configured key (header or
    /// form) or the cookie the form set.</summary>
    public bool Allows(string? presentedKey, string? presentedCookie = null)
    {
        var o = options.Value;
        if (o.Public)
        {
            return true;
        }

        return HasKey && (Same(presentedKey, o.AccessKey!) || Same(presentedCookie, CookieValue()));
    }

    /// <summary>What the form's cookie holds: a MAC of the key, not the key, so the cookie never reveals it and
    /// changing the key signs every browser out.</summary>
    public string CookieValue() =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.Value.AccessKey ?? ""), "byot-status-cookie-v1"u8))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool Same(string? presented, string expected) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));

    public Task<StatusBoard> BoardAsync(CancellationToken cancellationToken) => BoardAsync([], cancellationToken);

    /// <summary>With <paramref name="withTags"/>, only the flows carrying all of them (the overall state too).</summary>
    public async Task<StatusBoard> BoardAsync(IReadOnlyList<string> withTags, CancellationToken cancellationToken)
    {
        var only = withTags.Count > 0 ? await tags.TestsWithAllAsync(withTags, cancellationToken) : null;
        var o = options.Value;
        var flakyRule = alerting.Value.Flaky.Rule();
        var now = time.GetUtcNow();
        var flows = new List<FlowStatus>();
        var incidents = await queries.IncidentsSinceAsync(IncidentHistory.Since(now), cancellationToken);
        foreach (var flow in await queries.FlowsAsync(now, RecentRuns, flakyRule.Window, cancellationToken))
        {
            if (only is not null && !only.Contains(flow.TestId))
            {
                continue;
            }

            var recent = flow.Recent;
            // A run that failed only in quarantined cases counted as a pass (docs/alerting.md, "Quarantine").
            var judged = recent.Select((s, i) => (Status: RunStatuses.Parse(s), Quarantined: i < flow.RecentQuarantinedOnly.Count && flow.RecentQuarantinedOnly[i]))
                .Where(r => r.Status.IsCounted()).ToArray();
            var consecutive = judged.TakeWhile(r => r.Status.IsFailure() && !r.Quarantined).Count();
            var withQuarantined = judged.Length > 0 && judged[0].Quarantined && recent.Count > 0 && RunStatuses.Parse(recent[0]).IsCounted();
            var flaky = flakyRule.Judge(flow.RecentCounted).Flaky;
            var (state, reason) = Judge(flow.Enabled, judged.Length, consecutive, flow.FailureThreshold, flaky);
            if (withQuarantined && consecutive == 0 && flow.Enabled)
            {
                reason += flow.LastCases is { } q ? $", with {q.Failed + q.Errored} quarantined case(s) failing" : ", with quarantined cases failing";
            }

            if (flow.Enabled && flow.FailingLocations.Count > 0 && flow.FailingLocations.Count < flow.Locations.Count)
            {
                // One region down is not the flow down: say where it fails.
                reason += $" (failing from {string.Join(", ", flow.FailingLocations)} only)";
            }

            flows.Add(new FlowStatus(
                flow.TestId, flow.Name, flow.Severity, state.ToString().ToLowerInvariant(), reason, flaky,
                consecutive, flow.FailureThreshold,
                flow.LastFinishedAt,
                flow.LastDurationMs,
                Ratio(flow.DayPassed, flow.DayJudged), Ratio(flow.WeekPassed, flow.WeekJudged),
                [.. recent.Reverse()])
            {
                Locations = flow.Locations,
                FailingLocations = flow.FailingLocations,
                History = IncidentHistory.Build(incidents.GetValueOrDefault(flow.TestId) ?? [], now),
                Incidents = [.. (incidents.GetValueOrDefault(flow.TestId) ?? []).OrderByDescending(i => i.Start).ThenByDescending(i => i.Id)],
                Cases = flow.LastCases,
                PassingWithQuarantined = withQuarantined && consecutive == 0,
            });
        }

        for (var i = 0; i < flows.Count; i++)
        {
            if (flows[i].State == "red" && await runs.FindFailureScreenshotAsync(flows[i].Id, cancellationToken) is not null)
            {
                flows[i] = flows[i] with { Screenshot = ScreenshotLink(flows[i].Id) };
            }
        }

        var overall = flows.Where(f => f.State != "grey").Select(f => f.State).DefaultIfEmpty("grey")
            .OrderBy(s => s switch { "red" => 0, "amber" => 1, "green" => 2, _ => 3 }).First();
        return new StatusBoard(o.Title, now, overall, o.RefreshSeconds, flows) { Tags = withTags, Maintenance = await AnnouncedAsync(flows, cancellationToken) };
    }

    private async Task<IReadOnlyList<StatusMaintenance>> AnnouncedAsync(List<FlowStatus> flows, CancellationToken cancellationToken)
    {
        var windows = await maintenance.OngoingAndUpcomingAsync(AnnounceAhead, cancellationToken);
        if (windows.Count == 0 || flows.Count == 0)
        {
            return [];
        }

        var tagged = await tags.ForTestsAsync([.. flows.Select(f => f.Id)], cancellationToken);
        return [.. windows
            .Select(v => (View: v, Flows: flows.Where(f => v.Window.Covers(f.Id, tagged.GetValueOrDefault(f.Id) ?? [])).Select(f => f.Name).ToList()))
            .Where(x => x.Flows.Count > 0)
            .Select(x => (x.View, x.Flows, Occurrence: x.View.Current ?? x.View.Next!))
            .Select(x => new StatusMaintenance(x.View.Window.Name, x.View.Window.Mode, x.Occurrence.Start, x.Occurrence.End, x.View.Current is not null, x.Flows))];
    }

    /// <summary>The screenshot of a red flow's failing run, for the page's thumbnail; a flow that is not red, or whose
    /// latest run kept no image, has none (404), so the page's readers see exactly what the board shows.</summary>
    public async Task<(string ContentType, Stream Content)> OpenScreenshotAsync(Guid testId, CancellationToken cancellationToken)
    {
        var board = await BoardAsync(cancellationToken);
        var shown = board.Flows.Any(f => f.Id == testId && f.Screenshot is not null);
        var artifact = shown ? await runs.FindFailureScreenshotAsync(testId, cancellationToken) : null;
        if (artifact is null)
        {
            throw new Problems.NotFoundException("not-found", "No screenshot",
                $"Flow {testId:D} shows no screenshot on the status page: only a red flow whose latest run failed with an image in /artifacts has one.");
        }

        return (Runs.ArtifactPresentation.For(artifact.Path).ContentType, await artifacts.OpenReadAsync(artifact.BlobName, cancellationToken));
    }

    /// <summary>An incident of a flow, told for the page's readers (<see cref="IncidentStory"/>). Operator incidents
    /// (the infrastructure's) and incidents of deleted tests are not on the page, so they are not found either.</summary>
    public async Task<StatusIncidentPage> IncidentAsync(Guid incidentId, CancellationToken cancellationToken)
    {
        Incidents.IncidentDetail? detail;
        try
        {
            detail = await incidents.GetAsync(incidentId, cancellationToken);
        }
        catch (Problems.NotFoundException)
        {
            detail = null;
        }

        var shown = detail is { Incident: { Kind: Incident.TestKind, TestId: { } testId } }
            && await queries.IsFlowAsync(testId, cancellationToken);
        if (!shown)
        {
            throw new Problems.NotFoundException("not-found", "No such incident",
                $"The status page has no incident {incidentId:D}: its links point at the incidents of the flows it shows.");
        }

        return IncidentStory.Tell(detail!, time.GetUtcNow());
    }

    public static string ScreenshotLink(Guid testId) => $"status/screenshots/{testId:D}";

    private static (FlowState State, string Reason) Judge(bool enabled, int judgedRuns, int consecutive, int threshold, bool flaky) =>
        !enabled ? (FlowState.Grey, "disabled")
        : judgedRuns == 0 ? (FlowState.Grey, "not run yet")
        : consecutive >= threshold ? (FlowState.Red, $"failing: {consecutive} failed runs in a row")
        : consecutive > 0 ? (FlowState.Amber, $"failing: {consecutive} of {threshold} failed runs before an incident")
        : flaky ? (FlowState.Amber, "passing, but flaky")
        : (FlowState.Green, "passing");

    private static double? Ratio(long passed, long judged) => judged == 0 ? null : (double)passed / judged;
}
