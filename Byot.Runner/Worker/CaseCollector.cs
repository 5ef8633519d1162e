using System.Text;
using Byot.Runner.Containers;
using Byot.Shared.Cases;

namespace Byot.Runner.Worker;

/// <summary>Gathers one attempt's cases, without configuration: Go test output and TAP from stdout while the log is
/// written, then the JUnit XML and Playwright JSON reports the test left under /artifacts. Whatever a report does,
/// reading it ends as cases or a warning, never as an exception that could change the run's outcome.</summary>
internal sealed class CaseCollector
{
    // Playwright writes its config before its suites; a config this large is not one a JSON reporter wrote.
    private const int PlaywrightSniffBytes = 256 * 1024;
    private readonly CaseSink sink;
    private readonly ILineCaseParser[] lineParsers;
    private readonly GoTestOutputParser go;
    private bool broken;

    public CaseCollector(CaseLimits limits)
    {
        sink = new CaseSink(limits);
        go = new GoTestOutputParser(sink);
        lineParsers = [go, new TapParser(sink)];
    }

    public int Count => sink.Cases.Count;

    public static bool IsReport(string path) =>
        path.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    /// <summary>One output line, in order (called under the log writer's lock). TAP and Go's verdicts are on stdout;
    /// stderr goes to the Go parser alone, for the panic that ends a test binary.</summary>
    public void Line(OutputStream stream, string line)
    {
        if (broken)
        {
            return;
        }

        try
        {
            if (stream == OutputStream.Stderr)
            {
                go.Line(line);
                return;
            }

            foreach (var parser in lineParsers)
            {
                parser.Line(line);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            broken = true;
            sink.Warn($"stdout: the test output could not be read as test results past this point ({e.Message}).");
        }
    }

    /// <summary>Reads a report file kept from /artifacts; the stream must be seekable, and is left at its start.</summary>
    public async Task ReadReportAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        try
        {
            if (path.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
            {
                await JUnitReportParser.ParseAsync(content, path, sink, cancellationToken);
            }
            else if (await LooksLikePlaywrightAsync(content, cancellationToken))
            {
                content.Position = 0;
                await PlaywrightReportParser.ParseAsync(content, path, sink, cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or DecoderFallbackException or ArgumentException)
        {
            sink.Warn($"{path}: could not be read as a test report ({e.Message}).");
        }
        finally
        {
            content.Position = 0;
        }
    }

    public AttemptCases Complete(int attempt)
    {
        foreach (var parser in lineParsers)
        {
            try
            {
                parser.Complete();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                sink.Warn($"stdout: the last test results could not be read ({e.Message}).");
            }
        }

        return new AttemptCases(attempt, [.. sink.Cases]);
    }

    public bool Truncated => sink.Truncated;

    public IReadOnlyList<string> Warnings => sink.Warnings;

    private static async Task<bool> LooksLikePlaywrightAsync(Stream content, CancellationToken cancellationToken)
    {
        var head = new byte[PlaywrightSniffBytes];
        var read = await content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        var text = Encoding.UTF8.GetString(head, 0, read);
        return text.TrimStart().StartsWith('{') && text.Contains("\"suites\"", StringComparison.Ordinal) && text.Contains("\"config\"", StringComparison.Ordinal);
    }
}
