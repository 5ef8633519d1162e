using System.Diagnostics;
using System.Globalization;
using System.Text;
using Byot.Shared.Cases;
using Byot.Shared.Storage;

namespace Byot.Bench;

/// <summary>Parse-and-store of a 50,000-case JUnit XML report: the real streaming parser into the run's case sink and
/// the real <see cref="CaseStore"/> binary COPY in a unit of work, timed (median of 3) and with this process's peak
/// RSS growth, against one plain COPY (CSV, streamed from a file) of the same rows into the same table in the same
/// run.</summary>
internal static class CasesBench
{
    private const int Rounds = 3;

    public static async Task<BenchLine> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50_000;
        await using var environment = await BenchEnvironment.CreateAsync(cancellationToken);
        var testId = await environment.UploadScriptAsync("echo cases", cancellationToken: cancellationToken);
        var directory = Path.Combine(Path.GetTempPath(), "byot-bench-cases-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var report = Path.Combine(directory, "report.xml");
            await WriteReportAsync(report, count, cancellationToken);
            var warmReport = Path.Combine(directory, "warm.xml");
            await WriteReportAsync(warmReport, 500, cancellationToken);

            // Warm the JIT and the connection pool on both paths so neither pays for it in the timed rounds.
            var warm = await ParseAsync(warmReport, cancellationToken);
            await StoreAsync(environment, testId, warm, cancellationToken);
            await CopyAsync(environment, await WriteCsvAsync(environment, testId, warm, directory, cancellationToken), cancellationToken);

            var byot = new List<double>();
            var baseline = new List<double>();
            long growth = 0;
            for (var round = 0; round < Rounds; round++)
            {
                var (seconds, rss) = await MeasureByotAsync(environment, testId, report, cancellationToken);
                byot.Add(seconds);
                growth = Math.Max(growth, rss);

                // The same rows, written to a CSV file beforehand (not timed), inserted with one COPY.
                var csv = await WriteCsvAsync(environment, testId, await ParseAsync(report, cancellationToken), directory, cancellationToken);
                baseline.Add(await CopyAsync(environment, csv, cancellationToken));
                File.Delete(csv);
            }

            var stored = await CountAsync(environment, testId, cancellationToken);
            var byotMedian = Median(byot);
            var baselineMedian = Median(baseline);
            return new BenchLine("cases",
                [("cases", count), ("report_mb", new FileInfo(report).Length / (1024.0 * 1024.0)), ("byot_s", byotMedian), ("copy_s", baselineMedian),
                    ("time_ratio", byotMedian / baselineMedian), ("rss_growth_mb", growth / (1024.0 * 1024.0)), ("rows_stored", stored)],
                "target:time_ratio<=2,rss_growth_mb<=64");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<(double Seconds, long RssGrowth)> MeasureByotAsync(BenchEnvironment environment, Guid testId, string report, CancellationToken cancellationToken)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var rss = WorkingSetPeak.Start(TimeSpan.FromMilliseconds(5));

        var clock = Stopwatch.StartNew();
        var cases = await ParseAsync(report, cancellationToken);
        await StoreAsync(environment, testId, cases, cancellationToken);
        var seconds = clock.Elapsed.TotalSeconds;
        return (seconds, await rss.StopAsync());
    }

    private static async Task<RunCases> ParseAsync(string report, CancellationToken cancellationToken)
    {
        var sink = new CaseSink(CaseLimits.Default);
        await using (var stream = File.OpenRead(report))
        {
            await JUnitReportParser.ParseAsync(stream, "report.xml", sink, cancellationToken);
        }

        if (sink.Warnings.Count > 0)
        {
            throw new InvalidOperationException("bench report did not parse cleanly: " + sink.Warnings[0]);
        }

        return new RunCases([new AttemptCases(1, sink.Cases)], sink.Truncated, sink.Warnings);
    }

    /// <summary>The Runner's write: a fresh run's cases with the real CaseStore COPY, in a unit of work, committed.</summary>
    private static async Task StoreAsync(BenchEnvironment environment, Guid testId, RunCases cases, CancellationToken cancellationToken)
    {
        var run = await environment.Runs.CreateManualAsync(Guid.NewGuid(), testId, cancellationToken) ?? throw new InvalidOperationException("no bench test");
        await using var unit = await environment.Service<UnitOfWorkFactory>().BeginAsync(cancellationToken);
        await CaseStore.InsertAsync(unit.Connection, run.Id, testId, cases, cancellationToken);
        await unit.CommitAsync(cancellationToken);
    }

    private static async Task<string> WriteCsvAsync(BenchEnvironment environment, Guid testId, RunCases cases, string directory, CancellationToken cancellationToken)
    {
        var run = await environment.Runs.CreateManualAsync(Guid.NewGuid(), testId, cancellationToken) ?? throw new InvalidOperationException("no bench test");
        var path = Path.Combine(directory, $"rows-{run.Id:N}.csv");
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        var position = 0;
        foreach (var c in cases.Attempts[0].Cases)
        {
            string[] fields =
            [
                run.Id.ToString(), "1", (position++).ToString(CultureInfo.InvariantCulture), testId.ToString(), CaseIds.For(c.Key), Quote(c.Key), Quote(c.Suite), Quote(c.Name),
                CaseStatusNames.Of(c.Status), c.DurationMs?.ToString(CultureInfo.InvariantCulture) ?? "", c.Message is null ? "" : Quote(c.Message),
                c.Output is null ? "" : Quote(c.Output), c.Flaky ? "t" : "f", c.Retries.ToString(CultureInfo.InvariantCulture),
            ];
            await writer.WriteLineAsync(string.Join(',', fields).AsMemory(), cancellationToken);
        }

        return path;
    }

    private static string Quote(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>One plain COPY of the file's rows, streamed from the file; seconds.</summary>
    private static async Task<double> CopyAsync(BenchEnvironment environment, string csv, CancellationToken cancellationToken)
    {
        await using var connection = await environment.DataSource.OpenConnectionAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        await using (var copy = await connection.BeginTextImportAsync("""
            COPY run_cases (run_id, attempt, position, test_id, case_id, case_key, suite, name, status, duration_ms, message, output, flaky, retries)
            FROM STDIN (FORMAT csv)
            """, cancellationToken))
        using (var file = new StreamReader(csv, Encoding.UTF8))
        {
            var buffer = new char[64 * 1024];
            int read;
            while ((read = await file.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await copy.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }

        return clock.Elapsed.TotalSeconds;
    }

    private static async Task<long> CountAsync(BenchEnvironment environment, Guid testId, CancellationToken cancellationToken)
    {
        await using var command = environment.DataSource.CreateCommand("SELECT count(*) FROM run_cases WHERE test_id = @test");
        command.Parameters.AddWithValue("test", testId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>A Surefire-style report: suites of 100 cases, one in 50 failing with a message and a short stack.</summary>
    private static async Task WriteReportAsync(string path, int count, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        await writer.WriteLineAsync("""<?xml version="1.0" encoding="UTF-8"?>""".AsMemory(), cancellationToken);
        await writer.WriteLineAsync("<testsuites>".AsMemory(), cancellationToken);
        for (var suite = 0; suite * 100 < count; suite++)
        {
            await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""  <testsuite name="com.example.checkout.Suite{suite}" tests="100">""").AsMemory(), cancellationToken);
            for (var i = suite * 100; i < Math.Min(count, (suite + 1) * 100); i++)
            {
                var head = string.Create(CultureInfo.InvariantCulture, $"""    <testcase classname="com.example.checkout.Suite{suite}" name="pays with saved card variant {i}" time="0.{i % 1000:000}" """);
                var failure = string.Create(CultureInfo.InvariantCulture,
                    $"><failure message=\"expected total 42.00 but was 41.99 (case {i})\" type=\"AssertionError\">AssertionError: expected total 42.00 but was 41.99\n        at Checkout.pay(Checkout.java:{i % 300})\n        at Suite{suite}.test(Suite.java:12)</failure></testcase>");
                await writer.WriteLineAsync((head + (i % 50 == 7 ? failure : "/>")).AsMemory(), cancellationToken);
            }

            await writer.WriteLineAsync("  </testsuite>".AsMemory(), cancellationToken);
        }

        await writer.WriteLineAsync("</testsuites>".AsMemory(), cancellationToken);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
