using System.Globalization;
using System.Text.RegularExpressions;

namespace Byot.Shared.Cases;

/// <summary>TAP 13 and 14 on stdout, from its <c>TAP version</c> line on: test points (<c>ok</c> / <c>not ok</c>,
/// <c># SKIP</c>, <c># TODO</c>), YAML diagnostics (<c>duration_ms</c>, <c>error</c>/<c>message</c>), subtests by
/// indentation with their <c># Subtest:</c> names (node:test), and tape's <c># name</c> comments as the suite of the
/// assertions under them. A test point whose subtests came before it is their group, not a case.</summary>
public sealed partial class TapParser(CaseSink sink) : ILineCaseParser
{
    private readonly List<string> subtests = [];
    private readonly List<bool> hadChildren = [];
    private string comment = "";
    private bool active;
    private bool planned;
    private Pending? pending;
    private bool inYaml;

    public void Line(string line)
    {
        if (!active)
        {
            active = line.StartsWith("TAP version ", StringComparison.Ordinal);
            return;
        }

        var trimmed = line.TrimStart();
        var depth = (line.Length - trimmed.Length) / 4;
        if (inYaml)
        {
            if (trimmed == "...")
            {
                inYaml = false;
            }
            else
            {
                pending?.Yaml(trimmed);
            }

            return;
        }

        if (trimmed == "---" && pending is not null)
        {
            inYaml = true;
            return;
        }

        if (TestPoint().Match(trimmed) is { Success: true } point)
        {
            Flush();
            Point(point, depth);
            return;
        }

        Flush();
        if (trimmed.StartsWith("# Subtest:", StringComparison.Ordinal))
        {
            SetSubtest(depth, trimmed["# Subtest:".Length..].Trim());
        }
        else if (trimmed.StartsWith("Bail out!", StringComparison.Ordinal))
        {
            sink.Warn("TAP: " + trimmed);
        }
        else if (Plan().IsMatch(trimmed))
        {
            planned |= depth == 0;
        }
        else if (depth == 0 && trimmed.StartsWith('#') && !Summary().IsMatch(trimmed))
        {
            comment = trimmed[1..].Trim();
        }
    }

    public void Complete()
    {
        Flush();
        if (active && !planned)
        {
            sink.Warn("TAP: the stream ended without a plan (1..N): cut short, or the producer died.");
        }
    }

    private void Point(Match point, int depth)
    {
        while (hadChildren.Count <= depth)
        {
            hadChildren.Add(false);
        }

        var isGroup = depth + 1 < hadChildren.Count && hadChildren[depth + 1];
        if (depth + 1 < hadChildren.Count)
        {
            hadChildren.RemoveRange(depth + 1, hadChildren.Count - depth - 1);
        }

        hadChildren[depth] = true;
        if (isGroup)
        {
            // node:test closes a describe() with its own test point after its children: a group, not a case.
            if (subtests.Count > depth)
            {
                subtests.RemoveRange(depth, subtests.Count - depth);
            }

            return;
        }

        var failed = point.Groups["not"].Success;
        var directive = point.Groups["directive"].Value.ToUpperInvariant();
        var status = directive is "SKIP" or "TODO" ? CaseStatus.Skipped : failed ? CaseStatus.Failed : CaseStatus.Passed;
        var suite = depth == 0 ? comment : string.Join(CaseKeys.Separator, subtests.Take(depth));
        var name = point.Groups["name"].Value.Trim();
        if (name.Length == 0)
        {
            name = "test " + point.Groups["number"].Value;
        }

        pending = new Pending(suite, name, status, directive.Length > 0 ? point.Groups["reason"].Value.Trim() : null, sink.Limits);
        if (subtests.Count > depth)
        {
            subtests.RemoveRange(depth, subtests.Count - depth);
        }
    }

    private void SetSubtest(int depth, string name)
    {
        if (subtests.Count > depth)
        {
            subtests.RemoveRange(depth, subtests.Count - depth);
        }

        while (subtests.Count < depth)
        {
            subtests.Add("");
        }

        subtests.Add(name);
    }

    private void Flush()
    {
        if (pending is { } p)
        {
            pending = null;
            sink.Add(p.Suite, p.Name, p.Status, p.DurationMs, p.Status == CaseStatus.Failed ? p.Error : p.Reason, p.Status == CaseStatus.Failed && !p.Diagnostics.IsEmpty ? p.Diagnostics.ToString() : null);
        }
    }

    [GeneratedRegex(@"^(?<not>not )?ok\b\s*(?<number>\d+)?\s*(?:-\s*)?(?<name>.*?)(?:\s+#\s*(?<directive>skip|todo)\b\S*\s*(?<reason>.*))?$", RegexOptions.IgnoreCase)]
    private static partial Regex TestPoint();

    [GeneratedRegex(@"^\d+\.\.\d+")]
    private static partial Regex Plan();

    [GeneratedRegex(@"^#\s*(?:(?:tests|pass|fail|skip|todo|cancelled|suites|duration_ms)\s+[\d.]+|ok|not ok)\s*$")]
    private static partial Regex Summary();

    private sealed class Pending(string suite, string name, CaseStatus status, string? reason, CaseLimits limits)
    {
        public string Suite { get; } = suite;

        public string Name { get; } = name;

        public CaseStatus Status { get; } = status;

        public string? Reason { get; } = reason;

        public long? DurationMs { get; private set; }

        public string? Error { get; private set; }

        public OutputLines Diagnostics { get; } = new(limits);

        public void Yaml(string line)
        {
            Diagnostics.Add(line);
            if (line.StartsWith("duration_ms:", StringComparison.Ordinal)
                && double.TryParse(line["duration_ms:".Length..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
            {
                DurationMs = (long)Math.Round(ms);
            }
            else if (Error is null && (line.StartsWith("error:", StringComparison.Ordinal) || line.StartsWith("message:", StringComparison.Ordinal)))
            {
                Error = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Trim('\'', '"');
            }
        }
    }
}
