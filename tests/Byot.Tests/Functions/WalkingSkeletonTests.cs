using System.Globalization;
using System.Text.RegularExpressions;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Functions;

/// <summary>The seed's whole path on real services: upload through the function, run through the function, the
/// real Runner executes the test in a real container, and the result and log come back through the functions.</summary>
public sealed partial class WalkingSkeletonTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private FunctionsClient client = null!;
    private RunnerHost runner = null!;
    private ByotApi api = null!;

    public async Task InitializeAsync()
    {
        client = new FunctionsClient(environment);
        api = new ByotApi(client);
        runner = await RunnerHost.StartAsync(environment);
    }

    public async Task DisposeAsync()
    {
        await runner.DisposeAsync();
        await client.DisposeAsync();
    }

    [Theory]
    [InlineData(0, "passed")]
    [InlineData(3, "failed")]
    public async Task Static_binary_runs_in_a_container_and_its_exit_code_and_lines_are_recorded(int exitCode, string expectedStatus)
    {
        var binary = TestPrograms.StaticBinary(exitCode, (false, "✓ Login successful"), (true, "✗ Pay button not found"), (false, "done " + exitCode));
        var testId = await api.UploadOkAsync(binary, "go");

        var runId = await api.RunNowOkAsync(testId);
        var run = await api.WaitForFinalAsync(runId);

        Assert.Equal(expectedStatus, run.GetProperty("status").GetString());
        Assert.Equal(exitCode, run.GetProperty("exitCode").GetInt32());
        await AssertLogAsync(runId, run,
            [("stdout", "✓ Login successful"), ("stderr", "✗ Pay button not found"), ("stdout", "done " + exitCode)]);
    }

    [Theory]
    [InlineData(0, "passed")]
    [InlineData(3, "failed")]
    public async Task Node_script_runs_with_node_and_its_exit_code_and_lines_are_recorded(int exitCode, string expectedStatus)
    {
        var script = $$"""
            console.log("cart has " + (1 + 1) + " items");
            console.error("warning: slow checkout");
            console.log("node " + process.version.split(".")[0].length + " ok");
            process.exitCode = {{exitCode}};
            """;
        var testId = await api.UploadOkAsync(System.Text.Encoding.UTF8.GetBytes(script), "node", fileName: "checkout.js");

        var runId = await api.RunNowOkAsync(testId);
        var run = await api.WaitForFinalAsync(runId);

        Assert.Equal(expectedStatus, run.GetProperty("status").GetString());
        Assert.Equal(exitCode, run.GetProperty("exitCode").GetInt32());
        await AssertLogAsync(runId, run,
            [("stdout", "cart has 2 items"), ("stderr", "warning: slow checkout"), ("stdout", "node 3 ok")]);
    }

    private async Task AssertLogAsync(Guid runId, System.Text.Json.JsonElement run, (string Stream, string Text)[] expected)
    {
        var response = await api.GetLogsAsync(runId.ToString());
        Assert.Equal(200, response.Status);
        Assert.StartsWith("text/plain", response.ContentType, StringComparison.Ordinal);

        var blob = await environment.ReadLogAsync($"{runId:D}.log");
        Assert.Equal(blob, response.Text);
        Assert.EndsWith("\n", blob, StringComparison.Ordinal);

        var lines = blob.TrimEnd('\n').Split('\n');
        var parsed = lines.Select(line =>
        {
            var match = LogLine().Match(line);
            Assert.True(match.Success, $"not a log line: '{line}'");
            var at = DateTimeOffset.ParseExact(match.Groups["ts"].Value, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            return (At: at, Stream: match.Groups["stream"].Value, Text: match.Groups["text"].Value);
        }).ToList();

        // stdout and stderr travel through separate pipes, so only the order within each stream is guaranteed.
        foreach (var stream in new[] { "stdout", "stderr" })
        {
            Assert.Equal(
                expected.Where(e => e.Stream == stream).Select(e => e.Text),
                parsed.Where(p => p.Stream == stream).Select(p => p.Text));
        }

        var started = run.GetProperty("startedAt").GetDateTimeOffset();
        var finished = run.GetProperty("finishedAt").GetDateTimeOffset();
        Assert.All(parsed, p => Assert.InRange(p.At, started.AddSeconds(-1), finished.AddSeconds(1)));
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(blob), run.GetProperty("logBytes").GetInt64());
        Assert.False(run.GetProperty("logTruncated").GetBoolean());
        Assert.True(run.GetProperty("durationMs").GetInt64() >= 0);
    }

    [GeneratedRegex(@"^(?<ts>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z) \[(?<stream>stdout|stderr)\] (?<text>.*)$")]
    private static partial Regex LogLine();
}
