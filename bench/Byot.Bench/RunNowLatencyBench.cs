using System.Globalization;
using Byot.Functions;
using Byot.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Byot.Bench;

/// <summary><c>POST /run/{id}</c> accepted (the function called in-process, as the worker would) to the container
/// started, over 50 runs with an idle runner at defaults, against <c>docker run -d</c> (which returns once the
/// container started) of the same image, interleaved.</summary>
internal static class RunNowLatencyBench
{
    public static async Task<BenchLine> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
        await using var environment = await BenchEnvironment.CreateAsync(cancellationToken);
        await using var http = new ServiceCollection().AddLogging().AddByotHttp(environment.Configuration()).BuildServiceProvider();
        var functions = http.GetRequiredService<RunsFunctions>();
        using var runner = await environment.StartRunnerAsync(new Dictionary<string, string?>(), cancellationToken);
        var testId = (await environment.UploadScriptAsync("exit 0", cancellationToken: cancellationToken)).ToString("D");

        var byot = new List<double>();
        var baseline = new List<double>();
        for (var i = -2; i < iterations; i++)
        {
            var request = new DefaultHttpContext { RequestServices = http }.Request;
            request.Method = "POST";
            var result = await functions.RunNow(request, testId, cancellationToken);
            var accepted = DateTimeOffset.UtcNow;
            if (result is not AcceptedResult { Value: Shared.Runs.RunView view })
            {
                throw new InvalidOperationException($"POST /run/{testId} answered {result}");
            }

            var started = await environment.StartedAtAsync(view.Id, cancellationToken);
            var docker = await BenchEnvironment.TimeShellAsync($"docker run -d --rm {BenchEnvironment.BusyboxImage} true", cancellationToken);
            if (i >= 0)
            {
                byot.Add((started - accepted).TotalSeconds);
                baseline.Add(docker);
            }

            // An idle runner, its poll backed off to the longest wait: what a run-now after a quiet spell meets.
            await Task.Delay(2_000, cancellationToken);
        }

        await runner.StopAsync(cancellationToken);
        var p50 = BenchEnvironment.Percentile(byot, 0.50);
        var baselineP50 = BenchEnvironment.Percentile(baseline, 0.50);
        return new BenchLine("run-now-latency",
        [
            ("ratio_p50", p50 / baselineP50),
            ("byot_p50_s", p50),
            ("byot_p95_s", BenchEnvironment.Percentile(byot, 0.95)),
            ("baseline_p50_s", baselineP50),
            ("baseline_p95_s", BenchEnvironment.Percentile(baseline, 0.95)),
            ("runs", iterations),
            .. BenchEnvironment.RunnerFigures(),
        ], "target:ratio_p50<=1.0");
    }
}
