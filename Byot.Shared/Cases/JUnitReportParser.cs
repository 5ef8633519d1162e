using System.Globalization;
using System.Text;
using System.Xml;

namespace Byot.Shared.Cases;

/// <summary>JUnit XML as Surefire 2/3, jest-junit, pytest (xunit1/xunit2) and Playwright write it, read forward
/// only: no DTDs or entities, element text read in chunks and clipped, so a 100 MB report costs a buffer, not its
/// size. Surefire's <c>flakyFailure</c>/<c>flakyError</c> mark a case that passed on a rerun; <c>rerunFailure</c>
/// is a failure that reruns did not fix. Malformed XML keeps the cases read so far and becomes a warning.</summary>
public static class JUnitReportParser
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        MaxCharactersFromEntities = 0,
        Async = true,
        CloseInput = false,
    };

    public static async Task ParseAsync(Stream report, string fileName, CaseSink sink, CancellationToken cancellationToken)
    {
        var suites = new Stack<string>();
        try
        {
            using var reader = XmlReader.Create(report, Settings);
            while (await reader.ReadAsync())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "testsuite" && suites.Count > 0)
                {
                    suites.Pop();
                }

                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                switch (reader.LocalName)
                {
                    case "testsuite":
                        if (!reader.IsEmptyElement)
                        {
                            suites.Push(reader.GetAttribute("name") ?? "");
                        }

                        break;
                    case "testcase":
                        await CaseAsync(reader, suites.Count > 0 ? suites.Peek() : "", sink, cancellationToken);
                        break;
                }
            }
        }
        catch (XmlException e)
        {
            sink.Warn($"{fileName}: not well-formed JUnit XML at line {e.LineNumber}, position {e.LinePosition} ({e.Message}); the cases before it are kept.");
        }
    }

    private static async Task CaseAsync(XmlReader reader, string suite, CaseSink sink, CancellationToken cancellationToken)
    {
        var name = reader.GetAttribute("name") ?? "";
        var className = reader.GetAttribute("classname");
        long? ms = double.TryParse(reader.GetAttribute("time"), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? (long)Math.Round(seconds * 1000) : null;
        var status = CaseStatus.Passed;
        string? message = null;
        string? output = null;
        var reruns = 0;
        var flaky = false;
        if (!reader.IsEmptyElement)
        {
            var depth = reader.Depth;
            while (await reader.ReadAsync() && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (reader.NodeType != XmlNodeType.Element || reader.Depth != depth + 1)
                {
                    continue;
                }

                var child = reader.LocalName;
                var childMessage = reader.GetAttribute("message");
                switch (child)
                {
                    case "failure" or "error":
                        status = child == "error" ? CaseStatus.Errored : CaseStatus.Failed;
                        message = childMessage;
                        output = await TextAsync(reader, sink.Limits.MaxMessageChars);
                        break;
                    case "skipped":
                        status = CaseStatus.Skipped;
                        message = childMessage;
                        break;
                    case "flakyFailure" or "flakyError":
                        flaky = true;
                        reruns++;
                        message ??= childMessage;
                        break;
                    case "rerunFailure" or "rerunError":
                        reruns++;
                        break;
                    case "system-out" or "system-err" when output is null:
                        output = await TextAsync(reader, sink.Limits.MaxMessageChars);
                        break;
                }
            }
        }

        flaky &= status == CaseStatus.Passed;
        sink.Add(string.IsNullOrEmpty(className) ? suite : className, name, status, ms, message, output, flaky, reruns);
    }

    /// <summary>The element's text, read chunk by chunk and kept up to <paramref name="max"/> characters.</summary>
    private static async Task<string?> TextAsync(XmlReader reader, int max)
    {
        if (reader.IsEmptyElement)
        {
            return null;
        }

        var depth = reader.Depth;
        var kept = new StringBuilder();
        var buffer = new char[4096];
        while (await reader.ReadAsync() && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA)
            {
                int read;
                while ((read = await reader.ReadValueChunkAsync(buffer, 0, buffer.Length)) > 0)
                {
                    if (kept.Length < max)
                    {
                        kept.Append(buffer, 0, Math.Min(read, max - kept.Length));
                    }
                }
            }
        }

        var text = kept.ToString().Trim();
        return text.Length == 0 ? null : text;
    }
}
