using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Byot.Shared.Cases;

/// <summary>Go test output on stdout, both as <c>go test -json</c> / test2json events and as the plain
/// <c>-test.v</c> text (<c>=== RUN</c>, <c>--- PASS: TestX (0.01s)</c>, subtests indented). A failure whose output
/// shows a panic is <c>errored</c>.</summary>
public sealed partial class GoTestOutputParser(CaseSink sink) : ILineCaseParser
{
    private const int MaxOpen = 1_000;
    private readonly Dictionary<string, OutputLines> open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> panicked = new(StringComparer.Ordinal);
    private string? current;
    private (string Test, long? Ms, OutputLines? Output)? failed;

    public void Line(string line)
    {
        if (failed is { } f)
        {
            // A test that panics reports "--- FAIL" first and the panic right after it (testing's tRunner
            // recovers, reports, re-panics): the case errored, and the panic is its message.
            failed = null;
            var panic = line.StartsWith("panic: ", StringComparison.Ordinal);
            f.Output?.Add(line);
            var status = panic || panicked.Remove(f.Test) ? CaseStatus.Errored : CaseStatus.Failed;
            sink.Add("", f.Test, status, f.Ms, panic ? line : Message(f.Output, status), f.Output?.ToString());
            if (panic)
            {
                return;
            }
        }

        if (line.StartsWith('{') && line.Contains("\"Action\"", StringComparison.Ordinal))
        {
            Event(line);
            return;
        }

        if (RunLine().Match(line) is { Success: true } run)
        {
            current = run.Groups["test"].Value;
            Open(current);
            return;
        }

        if (ResultLine().Match(line) is { Success: true } result)
        {
            var test = result.Groups["test"].Value;
            var status = result.Groups["status"].Value switch
            {
                "PASS" => CaseStatus.Passed,
                "SKIP" => CaseStatus.Skipped,
                _ => CaseStatus.Failed,
            };
            if (status == CaseStatus.Failed)
            {
                failed = (test, Seconds(result.Groups["seconds"].Value), open.Remove(test, out var lines) ? lines : null);
                return;
            }

            Close("", test, status, Seconds(result.Groups["seconds"].Value));
            return;
        }

        if (current is not null && open.TryGetValue(current, out var output))
        {
            output.Add(line);
            if (line.StartsWith("panic: ", StringComparison.Ordinal))
            {
                panicked[current] = true;
            }
        }
    }

    public void Complete()
    {
        Line("");

        foreach (var test in open.Keys.ToList())
        {
            // A panic ends the binary before its "--- FAIL" lines for the tests still running.
            Close("", test, CaseStatus.Errored, null, "The test output ended before this test reported a result.");
        }
    }

    private void Event(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (!root.TryGetProperty("Test", out var testElement) || testElement.GetString() is not { Length: > 0 } test)
            {
                return;
            }

            var package = root.TryGetProperty("Package", out var p) ? p.GetString() ?? "" : "";
            var id = package + "\n" + test;
            switch (root.GetProperty("Action").GetString())
            {
                case "run":
                    Open(id);
                    break;
                case "output" when open.TryGetValue(id, out var output) && root.TryGetProperty("Output", out var text):
                    var printed = text.GetString() ?? "";
                    if (!printed.StartsWith("=== ", StringComparison.Ordinal) && !printed.TrimStart().StartsWith("--- ", StringComparison.Ordinal))
                    {
                        output.Add(printed.TrimEnd('\n'));
                    }

                    if (printed.StartsWith("panic: ", StringComparison.Ordinal))
                    {
                        panicked[id] = true;
                    }

                    break;
                case "pass":
                    CloseEvent(package, test, id, CaseStatus.Passed, root);
                    break;
                case "fail":
                    CloseEvent(package, test, id, CaseStatus.Failed, root);
                    break;
                case "skip":
                    CloseEvent(package, test, id, CaseStatus.Skipped, root);
                    break;
            }
        }
        catch (JsonException e)
        {
            sink.Warn($"go test -json: a line is not a JSON event ({e.Message})");
        }
    }

    private void CloseEvent(string package, string test, string id, CaseStatus status, JsonElement root)
    {
        long? ms = root.TryGetProperty("Elapsed", out var elapsed) && elapsed.TryGetDouble(out var seconds) ? (long)Math.Round(seconds * 1000) : null;
        var output = open.Remove(id, out var lines) ? lines : null;
        var panic = panicked.Remove(id);
        sink.Add(package, test, status == CaseStatus.Failed && panic ? CaseStatus.Errored : status, ms, Message(output, status), output?.ToString());
    }

    private void Open(string id)
    {
        if (open.Count < MaxOpen)
        {
            open[id] = new OutputLines(sink.Limits);
        }
    }

    private void Close(string suite, string test, CaseStatus status, long? ms, string? message = null)
    {
        var output = open.Remove(test, out var lines) ? lines : null;
        var panic = panicked.Remove(test);
        if (panic && status == CaseStatus.Failed)
        {
            status = CaseStatus.Errored;
        }

        sink.Add(suite, test, status, ms, message ?? Message(output, status), output?.ToString());
    }

    private static string? Message(OutputLines? output, CaseStatus status) =>
        status is CaseStatus.Failed or CaseStatus.Errored && output is { IsEmpty: false }
            ? output.ToString().Split('\n')[0].Trim()
            : null;

    private static long? Seconds(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? (long)Math.Round(s * 1000) : null;

    [GeneratedRegex(@"^=== RUN\s+(?<test>\S+)")]
    private static partial Regex RunLine();

    [GeneratedRegex(@"^\s*--- (?<status>PASS|FAIL|SKIP): (?<test>\S+) \((?<seconds>[0-9.]+)s\)")]
    private static partial Regex ResultLine();
}
