using System.Text.Json;
using System.Text.RegularExpressions;

namespace Byot.Shared.Cases;

/// <summary>Playwright's JSON reporter file: suites (nested, the file first) → specs → tests (one per project) →
/// results (one per attempt). Playwright's own verdict decides: <c>expected</c> passed (or skipped), <c>flaky</c>
/// passed on a retry, <c>unexpected</c> failed, <c>skipped</c>. The report is one JSON document, so its size is
/// capped (<see cref="CaseLimits.MaxJsonReportBytes"/>) before it is read.</summary>
public static partial class PlaywrightReportParser
{
    public static async Task ParseAsync(Stream report, string fileName, CaseSink sink, CancellationToken cancellationToken)
    {
        if (report.CanSeek && report.Length > sink.Limits.MaxJsonReportBytes)
        {
            sink.Warn($"{fileName}: {report.Length} bytes is more than the {sink.Limits.MaxJsonReportBytes} a Playwright report may have; not read.");
            return;
        }

        try
        {
            var limit = sink.Limits.MaxJsonReportBytes;
            long read = 0;
            await using var bounded = new Artifacts.ObservedReadStream(report, bytes =>
            {
                read += bytes.Length;
                if (read > limit)
                {
                    throw new IOException($"more than {limit} bytes");
                }
            });
            using var document = await JsonDocument.ParseAsync(bounded, cancellationToken: cancellationToken);
            if (!document.RootElement.TryGetProperty("suites", out var suites))
            {
                sink.Warn($"{fileName}: a JSON file without 'suites' is not a Playwright report; not read.");
                return;
            }

            foreach (var suite in suites.EnumerateArray())
            {
                Suite(suite, [], sink);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or IOException)
        {
            sink.Warn($"{fileName}: not a readable Playwright JSON report ({e.Message}); the cases before it are kept.");
        }
    }

    private static void Suite(JsonElement suite, List<string> titles, CaseSink sink)
    {
        var path = new List<string>(titles) { Str(suite, "title") };
        foreach (var spec in Array(suite, "specs"))
        {
            foreach (var test in Array(spec, "tests"))
            {
                Test(spec, test, path, sink);
            }
        }

        foreach (var child in Array(suite, "suites"))
        {
            Suite(child, path, sink);
        }
    }

    private static void Test(JsonElement spec, JsonElement test, List<string> suite, CaseSink sink)
    {
        var results = Array(test, "results").ToList();
        var status = Str(test, "status") switch
        {
            "expected" when results.Count > 0 && results.All(r => Str(r, "status") == "skipped") => CaseStatus.Skipped,
            "expected" or "flaky" => CaseStatus.Passed,
            "skipped" => CaseStatus.Skipped,
            _ => CaseStatus.Failed,
        };
        var project = Str(test, "projectName");
        var name = project.Length == 0 ? Str(spec, "title") : $"{Str(spec, "title")} [{project}]";
        var last = results.Count > 0 ? results[^1] : default;
        var failedResult = results.LastOrDefault(r => Str(r, "status") is "failed" or "timedOut");
        var message = failedResult.ValueKind == JsonValueKind.Object && failedResult.TryGetProperty("error", out var error) ? Ansi().Replace(Str(error, "message"), "") : null;
        long? ms = last.ValueKind == JsonValueKind.Object && last.TryGetProperty("duration", out var d) && d.TryGetDouble(out var value) ? (long)Math.Round(value) : null;
        sink.Add(string.Join(CaseKeys.Separator, suite.Where(s => s.Length > 0)), name, status, ms, message, null, Str(test, "status") == "flaky", Math.Max(0, results.Count - 1));
    }

    private static JsonElement.ArrayEnumerator Array(JsonElement element, string property) =>
        element.TryGetProperty(property, out var array) && array.ValueKind == JsonValueKind.Array ? array.EnumerateArray() : default;

    private static string Str(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    [GeneratedRegex(@"\u001b\[[0-9;]*[A-Za-z]")]
    private static partial Regex Ansi();
}
