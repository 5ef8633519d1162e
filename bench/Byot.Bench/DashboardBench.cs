using System.Diagnostics;
using System.Globalization;
using System.Text;
using Byot.Shared.Artifacts;
using Microsoft.Playwright;

namespace Byot.Bench;

/// <summary>The dashboard in headless Chromium: the Tests page with 1,000 tests (first render: the page with its
/// first rows, the rest following after that paint; tests_all_rows_s says when all 1,000 are in, tests_data_in_s
/// when the API's answers had arrived) and the Run page of a 100,000-line log (interactive: every line taken in, the main thread free), each
/// against fetching the same API responses with curl in the same run. Medians of 5 page loads.</summary>
internal static class DashboardBench
{
    private const int Tests = 1_000;
    private const int LogLines = 100_000;
    private const int Rounds = 5;

    public static async Task<BenchLine> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        await using var environment = await BenchEnvironment.CreateAsync(cancellationToken);
        var runId = await SeedAsync(environment, cancellationToken);
        await using var server = await DashboardServer.StartAsync(environment);
        await using var chromium = await Chromium.LaunchAsync();
        await chromium.Context.AddInitScriptAsync("sessionStorage.setItem('byot.functionKey', 'bench')");
        var page = await chromium.Context.NewPageAsync();
        page.SetDefaultTimeout(60_000);

        var testsFetch = new List<double>();
        var testsRender = new List<double>();
        var testsComplete = new List<double>();
        var testsData = new List<double>();
        var runFetch = new List<double>();
        var runInteractive = new List<double>();
        var longestTask = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            testsFetch.Add(await CurlAsync(cancellationToken, $"{server.Url}/tests", $"{server.Url}/status.json"));
            testsRender.Add(await LoadAsync(page, $"{server.Url}/app#/", "document.querySelectorAll('tr[data-test-id]').length > 0"));
            await page.WaitForFunctionAsync($"() => document.querySelectorAll('tr[data-test-id]').length === {Tests}");
            testsComplete.Add(await MarkAsync(page, "byot:tests-complete"));
            testsData.Add(await MarkAsync(page, "byot:tests-data"));
            runFetch.Add(await CurlAsync(cancellationToken, $"{server.Url}/runs/{runId}", $"{server.Url}/runs/{runId}/logs"));
            runInteractive.Add(await LoadAsync(page, $"{server.Url}/app#/runs/{runId}", $"document.querySelector('.log-head .muted')?.textContent === '{LogLines.ToString("N0", CultureInfo.InvariantCulture)} lines'"));
            longestTask.Add(await page.EvaluateAsync<double>("window.__byotLongest ?? 0"));
        }

        var render = Median(testsRender);
        var fetch = Median(testsFetch);
        var interactive = Median(runInteractive);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dashboard: tests page render {string.Join(' ', testsRender.Select(s => s.ToString("0.000", CultureInfo.InvariantCulture)))} s, run page {string.Join(' ', runInteractive.Select(s => s.ToString("0.000", CultureInfo.InvariantCulture)))} s"));
        return new BenchLine("dashboard",
        [
            ("tests_render_s", render), ("tests_fetch_s", fetch), ("tests_ratio", render / fetch),
            ("tests_data_in_s", Median(testsData)), ("tests_all_rows_s", Median(testsComplete)),
            ("run_interactive_s", interactive), ("run_fetch_s", Median(runFetch)), ("run_longest_task_ms", longestTask.Max()),
            ("tests", Tests), ("log_lines", LogLines),
        ], "target: tests_render_s<=1 tests_ratio<=3 run_interactive_s<=2");
    }

    /// <summary>Loads the page afresh and returns, in seconds since navigation start, when <paramref name="done"/>
    /// first held (polled every 5 ms in the page); the longest main-thread task seen meanwhile is left in window.__byotLongest.</summary>
    private static async Task<double> LoadAsync(IPage page, string url, string done)
    {
        await page.GotoAsync("about:blank");
        await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.Commit });
        await page.EvaluateAsync("""
            () => { window.__byotLongest = 0;
              new PerformanceObserver(l => { for (const e of l.getEntries()) window.__byotLongest = Math.max(window.__byotLongest, e.duration); })
                .observe({ type: 'longtask', buffered: true }); }
            """);
        // The page's own clock at the poll that saw it, not after the round trip back to this process.
        var seen = await page.WaitForFunctionAsync($"() => ({done}) && performance.now()", null, new() { PollingInterval = 5 });
        return await seen.JsonValueAsync<double>() / 1000;
    }

    /// <summary>When the page set a performance mark, in seconds since navigation start.</summary>
    private static async Task<double> MarkAsync(IPage page, string name) =>
        await page.EvaluateAsync<double>($"() => performance.getEntriesByName('{name}')[0]?.startTime ?? -1000") / 1000;

    private static async Task<double> CurlAsync(CancellationToken cancellationToken, params string[] urls)
    {
        var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-sS", "--fail", "--parallel", "--parallel-immediate", "-H", "x-functions-key: bench" })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var url in urls)
        {
            start.ArgumentList.Add("-o");
            start.ArgumentList.Add("/dev/null");
            start.ArgumentList.Add(url);
        }

        var clock = Stopwatch.StartNew();
        using var curl = Process.Start(start)!;
        var error = curl.StandardError.ReadToEndAsync(cancellationToken);
        await curl.WaitForExitAsync(cancellationToken);
        if (curl.ExitCode != 0)
        {
            throw new InvalidOperationException($"curl failed ({curl.ExitCode}): {await error}");
        }

        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>1,000 tests with 30 finished runs each, and one failed run whose log has 100,000 lines.</summary>
    private static async Task<Guid> SeedAsync(BenchEnvironment environment, CancellationToken cancellationToken)
    {
        await using (var seed = environment.DataSource.CreateCommand($"""
            INSERT INTO tests (id, name, runtime, severity, timeout_seconds, failure_threshold, memory_mb, cpus, artifact_version)
            SELECT gen_random_uuid(), 'Flow ' || lpad(i::text, 4, '0'), 'go', (ARRAY['P0','P1','P2','P3'])[1 + i % 4], 30, 3, 512, 1, 1
            FROM generate_series(1, {Tests}) i;
            INSERT INTO runs (id, test_id, trigger, artifact_version, status, queued_at, started_at, finished_at, duration_ms, exit_code)
            SELECT gen_random_uuid(), t.id, 'schedule', 1, CASE WHEN random() < 0.1 THEN 'failed' ELSE 'passed' END,
                   now() - k * interval '5 minutes', now() - k * interval '5 minutes', now() - k * interval '5 minutes' + interval '1 second',
                   800 + (random() * 900)::int, 0
            FROM tests t, generate_series(1, 30) k;
            """))
        {
            await seed.ExecuteNonQueryAsync(cancellationToken);
        }

        var runId = Guid.NewGuid();
        var blob = $"bench/{runId:D}.log";
        var logs = environment.Service<LogStore>();
        await logs.CreateAsync(blob, cancellationToken);
        var text = new StringBuilder();
        for (var i = 0; i < LogLines; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"2026-12-01T09:00:{i % 60:00}.{i % 1000:000}Z [{(i % 17 == 0 ? "stderr" : "stdout")}] step {i}: checked the cart, {i * 7 % 1000} items, all prices match\n");
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        await logs.AppendAsync(blob, bytes, 0, cancellationToken);
        await using var run = environment.DataSource.CreateCommand("""
            INSERT INTO runs (id, test_id, trigger, artifact_version, status, attempt, queued_at, started_at, finished_at, duration_ms, exit_code, log_blob, log_bytes)
            SELECT @id, id, 'manual', 1, 'failed', 1, now() - interval '2 minutes', now() - interval '2 minutes', now() - interval '1 minute', 60000, 1, @blob, @bytes
            FROM tests ORDER BY name LIMIT 1
            """);
        run.Parameters.AddWithValue("id", runId);
        run.Parameters.AddWithValue("blob", blob);
        run.Parameters.AddWithValue("bytes", (long)bytes.Length);
        await run.ExecuteNonQueryAsync(cancellationToken);
        return runId;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
