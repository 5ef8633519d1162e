using System.Globalization;
using System.Text;
using Byot.Shared.Artifacts;
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
        var runUrl = p.RunId is { } runId ? $"{options.Value.PublicBaseUrl.TrimEnd('/')}/runs/{runId:D}" : null;
        var lines = p.Kind is NotificationKind.Trigger or NotificationKind.Reminder && p.LogBlob is { } blob
            ? await TailAsync(blob, p.LogBytes, options.Value.LogLines, cancellationToken)
            : [];
        return new RenderedAlert(Title(p), Text(p, runUrl), runUrl, lines);
    }

    public static string Title(AlertPayload p)
    {
        if (p.Kind == NotificationKind.Digest)
        {
            var incidents = p.Digest?.Count(d => d.OpenedAt is not null) ?? 0;
            var flaky = p.Digest?.Where(d => d.Flaky).Select(d => d.TestId).Distinct().Count() ?? 0;
            return Invariant($"BYOT weekly digest: {incidents} incident(s), {flaky} flaky test(s)");
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
            _ => $"[{p.Severity}] {p.TestName} is failing",
        };
    }

    public static string Text(AlertPayload p, string? runUrl)
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

        if (p.TestName is not null)
        {
            text.AppendLine(Invariant($"Test: {p.TestName} ({p.Severity}, id {p.TestId:D})"));
        }

        if (p.Kind == NotificationKind.Resolve)
        {
            text.AppendLine(Invariant($"Was failing since {Time(p.FailingSince)}; recovered {Time(p.At)}."));
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

        if (!string.IsNullOrEmpty(p.Error))
        {
            text.AppendLine(p.Error);
        }

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
