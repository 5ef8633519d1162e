using System.Diagnostics;
using System.Globalization;
using System.Text;
using Byot.Functions;
using Byot.Functions.Http;
using Byot.Shared.Artifacts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Byot.Bench;

/// <summary>CPU seconds one follower spends streaming a finished log (default 16 MiB, 128-byte lines) through the
/// real log function (plain text, default settings), against a plain download of the same blob in the same run, and
/// against following half that log (the scaling shows whether the cost is linear).</summary>
internal static class FollowBench
{
    public static async Task<BenchLine> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var mebibytes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 16;
        var lineBytes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 128;
        await using var environment = await BenchEnvironment.CreateAsync(cancellationToken);
        var testId = await environment.UploadScriptAsync("exit 0", cancellationToken: cancellationToken);
        var (half, _) = await FinishedRunAsync(environment, testId, mebibytes / 2, lineBytes, cancellationToken);
        var (full, size) = await FinishedRunAsync(environment, testId, mebibytes, lineBytes, cancellationToken);

        var services = new ServiceCollection().AddLogging().AddByotHttp(environment.Configuration()).BuildServiceProvider();
        await using (services)
        {
            var logs = services.GetRequiredService<LogStore>();
            await PlainReadAsync(logs, full.LogBlobName!, cancellationToken);
            var plain = await MedianAsync(() => CpuSecondsAsync(() => PlainReadAsync(logs, full.LogBlobName!, cancellationToken)));

            // One untimed follow of the half log first, so JIT and tiering costs fall on neither figure. Then half the
            // log and the whole: linear cost doubles with the size, quadratic cost quadruples.
            await FollowAsync(services, half.Id, cancellationToken);

            // Each figure is the median of three, since process CPU time also counts the runtime's own threads.
            var halfCpu = await MedianAsync(() => CpuSecondsAsync(() => FollowAsync(services, half.Id, cancellationToken)));
            long streamed = 0;
            var follow = await MedianAsync(() => CpuSecondsAsync(async () => streamed = await FollowAsync(services, full.Id, cancellationToken)));

            // Less than the log means the follow ran out of FollowMaxSeconds before it got through.
            return new BenchLine("follow",
                [("log_mib", size / 1048576.0), ("line_bytes", lineBytes), ("streamed_mib", streamed / 1048576.0), ("follow_cpu_s", follow),
                 ("half_log_follow_cpu_s", halfCpu), ("scaling", follow / Math.Max(halfCpu, 0.001)), ("plain_read_cpu_s", plain), ("ratio", follow / Math.Max(plain, 0.001))],
                "target: scaling<=2.5 (linear in the log size; quadratic is ~4)");
        }
    }

    private static async Task<(Byot.Shared.Domain.TestRun Run, long Size)> FinishedRunAsync(BenchEnvironment environment, Guid testId, int mebibytes, int lineBytes, CancellationToken cancellationToken)
    {
        var run = await environment.Runs.CreateManualAsync(Guid.NewGuid(), testId, cancellationToken) ?? throw new InvalidOperationException("no run");
        var size = await WriteLogAsync(environment.Service<LogStore>(), run.LogBlobName!, mebibytes, lineBytes, cancellationToken);
        await using var finish = environment.DataSource.CreateCommand("UPDATE runs SET status = 'passed', finished_at = now(), exit_code = 0 WHERE id = @id");
        finish.Parameters.AddWithValue("id", run.Id);
        await finish.ExecuteNonQueryAsync(cancellationToken);
        return (run, size);
    }

    private static async Task<long> WriteLogAsync(LogStore logs, string blob, int mebibytes, int lineBytes, CancellationToken cancellationToken)
    {
        await logs.CreateAsync(blob, cancellationToken);
        var line = "2026-12-01T08:00:00.000Z [stdout] " + new string('x', Math.Max(1, lineBytes - 35)) + "\n";
        var block = new StringBuilder();
        while (block.Length + line.Length <= LogStore.MaxAppendBytes)
        {
            block.Append(line);
        }

        var bytes = Encoding.UTF8.GetBytes(block.ToString());
        long position = 0;
        while (position < (long)mebibytes << 20)
        {
            position = await logs.AppendAsync(blob, bytes, position, cancellationToken);
        }

        return position;
    }

    private static async Task PlainReadAsync(LogStore logs, string blob, CancellationToken cancellationToken)
    {
        await using var stream = await logs.OpenReadAsync(blob, 0, cancellationToken) ?? throw new InvalidOperationException("no log");
        await stream.CopyToAsync(Stream.Null, cancellationToken);
    }

    private static async Task<long> FollowAsync(IServiceProvider services, Guid runId, CancellationToken cancellationToken)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "GET";
        context.Request.Path = $"/runs/{runId:D}/logs";
        context.Request.QueryString = new QueryString("?follow=true");
        var body = new CountingStream();
        context.Response.Body = body;
        var result = await services.GetRequiredService<RunsFunctions>().GetRunLogs(context.Request, runId.ToString("D"), cancellationToken);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        return body.Count;
    }

    private static async Task<double> MedianAsync(Func<Task<double>> measure)
    {
        var figures = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            figures.Add(await measure());
        }

        return figures.Order().ElementAt(1);
    }

    private static async Task<double> CpuSecondsAsync(Func<Task> work)
    {
        // Garbage left by the step before is collected now, not on this step's clock.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        await work();
        process.Refresh();
        return (process.TotalProcessorTime - before).TotalSeconds;
    }
}
