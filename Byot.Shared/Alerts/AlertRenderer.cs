using System.Globalization;
using System.Text;
using Byot.Shared.Artifacts;
using Byot.Shared.Domain.Alerting;
using Byot.Shared.Options;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Alerts;

/// <summary>Says what broke, since when, the last log lines and where to look, the same way on every channel.</summary>
public sealed class AlertRenderer(LogStore logs, IOptions<AlertingOptions> options)
{
    // Enough for the last lines of a log; a longer line is cut rather than read in full.
    private const int TailBytes = 16 * 1024;

    public async Task<RenderedAlert> RenderAsync(AlertPayload p, CancellationToken cancellationToken)
    {
        var baseUrl = options.Value.PublicBaseUrl.TrimEnd('/');
        var runUrl = p.RunId is { } runId ? $"{baseUrl}/runs/{runId:D}" : null;
        var lines = p.Kind is NotificationKind.Trigger or NotificationKind.Reminder or NotificationKind.Escalation && p.LogBlob is { } blob
            ? await TailAsync(blob, p.LogBytes, options.Value.LogLines, cancellationToken)
            : [];
        return new RenderedAlert(Title(p), Text(p, runUrl, baseUrl), runUrl, lines);
    }

    public static string Title(AlertPayload p)
    {
        if (p.Kind == NotificationKind.Digest)
        {
            var incidents = p.Digest?.Count(d => d.OpenedAt is not null) ?? 0;
            var flaky = p.Digest?.Where(d => d.Flaky).Select(d => d.TestId).Distinct().Count() ?? 0;
            return Invariant($"BYOT weekly digest: {incidents} incident(s), {flaky} flaky test(s)");
        }

        if (p.ResolvedByHand)
        {
            return p.IncidentKind == Incident.OperatorKind ? "[BYOT operator] Resolved by hand" : $"[{p.Severity}] Resolved by hand: {p.TestName}";
        }

        if (p.IncidentKind == Incident.OperatorKind)
        {
            return p.Kind == NotificationKind.Resolve
                ? "[BYOT operator] Resolved: runs complete normally again"
                : Invariant($"[BYOT operator] {p.FailureCount} runs ended in infra_error");
        }

        return p.Kind switch
        {
            NotificationKind.Resolve => $"[{p.Severity}] Resolved: {p.TestName} passes again",
            NotificationKind.Reminder => Invariant($"[{p.Severity}] Reminder {p.Reminder}: {p.TestName} is still failing"),
            NotificationKind.Escalation => Invariant($"[{p.Severity}] Escalated (stage {p.Stage}, nobody acknowledged): {p.TestName} is failing"),
            _ => $"[{p.Severity}] {p.TestName} is failing",
        };
    }

    public static string Text(AlertPayload p, string? runUrl, string baseUrl)
    {
        var text = new StringBuilder();
        if (p.Kind == NotificationKind.Digest)
        {
            foreach (var d in p.Digest ?? [])
            {
                text.AppendLine(d.OpenedAt is { } opened
                    ? Invariant($"- [{d.Severity}] {d.TestName}: failing since {Time(opened)}, {d.FailureCount} failure(s), {(d.ResolvedAt is { } r ? "resolved " + Time(r) : "still open")}{(d.Flaky ? ", flaky" : "")}")
                    : $"- [{d.Severity}] {d.TestName}: flaky (flips between pass and fail)");
            }

            return text.ToString().TrimEnd();
        }

        if (p.ResolvedByHand)
        {
            return HandResolutionText(p);
        }

        if (p.IncidentKind == Incident.OperatorKind)
        {
            return OperatorText(p, runUrl, baseUrl);
        }

        if (p.TestName is not null)
        {
            text.AppendLine(Invariant($"Test: {p.TestName} ({p.Severity}, id {p.TestId:D})"));
        }

        if (p.Kind == NotificationKind.Resolve)
        {
            text.AppendLine(Invariant($"Was failing since {Time(p.FailingSince)}; recovered {Time(p.At)}."));
        }
        else if (p.IncidentKind == Incident.TestKind && p.Kind == NotificationKind.Escalation)
        {
            text.AppendLine(Invariant($"Failing since {Time(p.FailingSince)}: {p.FailureCount} failure(s) so far, and nobody has acknowledged the incident yet."));
            text.AppendLine(Invariant($"You are stage {p.Stage} of its escalation; acknowledge it with POST /incidents/{p.IncidentId:D}/ack."));
        }
        else if (p.IncidentKind == Incident.TestKind && p.Kind == NotificationKind.Reminder)
        {
            text.AppendLine(Invariant($"Still failing since {Time(p.FailingSince)}: {p.FailureCount} failure(s) so far."));
        }
        else if (p.IncidentKind == Incident.TestKind)
        {
            text.AppendLine(Invariant($"Failing since {Time(p.FailingSince)}: {p.FailureCount} consecutive failure(s) when the incident opened."));
        }

        if (p.RunStatus is not null)
        {
            text.AppendLine(Invariant($"Last run: {p.RunStatus}{(p.ExitCode is { } code ? $" (exit code {code})" : "")} {runUrl}"));
        }

        if (p.Cases is { } cases && p.Kind != NotificationKind.Resolve)
        {
            text.AppendLine(CasesLine(cases));
        }

        if (!string.IsNullOrEmpty(p.Error))
        {
            text.AppendLine(p.Error);
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>"2 of 40 failed: `checkout › pays` (new since 10:04 UTC) and `search › filters` (flaky, quarantined)":
    /// the first few failing cases by name, what is new, flaky or quarantined about each, and how many more.</summary>
    public static string CasesLine(AlertCases cases)
    {
        var named = cases.Named.Select(c =>
        {
            var notes = new List<string> { c.New ? $"new since {Clock(c.FailingSince)}" : $"failing since {Clock(c.FailingSince)}" };
            if (c.Flaky)
            {
                notes.Add("flaky");
            }

            if (c.Quarantined)
            {
                notes.Add("quarantined");
            }

            return $"`{c.Name}` ({string.Join(", ", notes)})";
        }).ToList();
        if (cases.More > 0)
        {
            named.Add(Invariant($"{cases.More} more"));
        }

        var list = named.Count <= 1 ? string.Concat(named) : string.Join(", ", named[..^1]) + " and " + named[^1];
        var quarantined = cases.Quarantined > 0 ? Invariant($" ({cases.Quarantined} quarantined)") : "";
        return Invariant($"{cases.Failed} of {cases.Total} failed{quarantined}: {list}");
    }

    // Today's failures are read by the hour; the date is in the rest of the message.
    private static string Clock(DateTimeOffset at) => at.UtcDateTime.ToString("HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>Closed by a person, not by a passing run: who, when, and the note they left. The test may still fail.</summary>
    private static string HandResolutionText(AlertPayload p)
    {
        var text = new StringBuilder();
        if (p.TestName is not null)
        {
            text.AppendLine(Invariant($"Test: {p.TestName} ({p.Severity}, id {p.TestId:D})"));
        }

        text.AppendLine(Invariant($"Was failing since {Time(p.FailingSince)}; closed by hand by {p.ResolvedBy ?? "someone"} at {Time(p.At)}."));
        text.AppendLine("Note: " + p.ResolutionNote);
        return text.ToString().TrimEnd();
    }

    /// <summary>An operator incident is about the infrastructure: which runs, which runners, since when, the error
    /// it gave; no test severity. The recovery notice says when it ended and carries no error text.</summary>
    private static string OperatorText(AlertPayload p, string? runUrl, string baseUrl)
    {
        var text = new StringBuilder();
        if (p.Kind == NotificationKind.Resolve)
        {
            text.AppendLine(Invariant($"Runs complete normally again: run {runUrl} ended {p.RunStatus} at {Time(p.At)}."));
            text.AppendLine(Invariant($"The infra_error burst was reported at {Time(p.FailingSince)}."));
            return text.ToString().TrimEnd();
        }

        var b = p.Burst;
        text.AppendLine(b is null
            ? Invariant($"{p.FailureCount} runs ended in infra_error.")
            : Invariant($"{b.Count} runs ended in infra_error within {b.WindowMinutes} minutes, the first at {Time(b.Since)}."));
        text.AppendLine("Not the tests' fault: their owners were not paged.");
        if (b is not null)
        {
            text.AppendLine("Runners: " + (b.Runners.Count == 0 ? "none (closed before a runner held them)" : string.Join(", ", b.Runners)));
            text.AppendLine("Runs:");
            foreach (var r in b.Runs)
            {
                text.AppendLine(Invariant($"- {r.TestName} on {r.RunnerId ?? "no runner"} at {Time(r.FinishedAt)}: {baseUrl}/runs/{r.RunId:D}"));
            }

            if (b.Count > b.Runs.Count)
            {
                text.AppendLine(Invariant($"- … and {b.Count - b.Runs.Count} more"));
            }
        }

        text.AppendLine("Error: " + (string.IsNullOrEmpty(p.Error) ? "none recorded" : p.Error));
        return text.ToString().TrimEnd();
    }

    private async Task<IReadOnlyList<string>> TailAsync(string blob, long size, int count, CancellationToken cancellationToken)
    {
        if (count == 0 || size <= 0)
        {
            return [];
        }

        var offset = Math.Max(0, size - TailBytes);
        await using var stream = await logs.OpenReadAsync(blob, offset, cancellationToken);
        if (stream is null)
        {
            return [];
        }

        using var reader = new StreamReader(stream, Encoding.UTF8);
        var content = await reader.ReadToEndAsync(cancellationToken);
        var lines = content.Split('\n', StringSplitOptions.RemoveEmptyEntries).AsEnumerable();
        if (offset > 0)
        {
            lines = lines.Skip(1);
        }

        return [.. lines.TakeLast(count)];
    }

    private static string Time(DateTimeOffset? at) =>
        at is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "unknown";

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
