using System.Text;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Runner;

/// <summary>docs/reliability.md row 13 on a real container: a test that prints far more than the cap, or one huge line, ends
/// with a capped log, one truncation marker and <c>log_truncated</c> set (tens of MB here; bench log-volume does 200 MB).</summary>
public sealed class LogCapTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private const long Cap = 1L << 20;
    private RunnerKit kit = null!;

    public async Task InitializeAsync() =>
        kit = await RunnerKit.StartAsync(environment, new Dictionary<string, string?> { ["Byot:Runner:LogCapBytes"] = Cap.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    public async Task DisposeAsync() => await kit.DisposeAsync();

    [Fact]
    public async Task Many_lines_past_the_cap_are_dropped_behind_one_marker_and_the_run_still_passes()
    {
        var (runId, run) = await kit.RunAsync(RunnerKit.Shell("""
            echo first line
            yes 0123456789abcdef0123456789abcdef | head -c 40000000
            echo last line
            """));

        await AssertCappedAsync(runId, run, "[stdout] first line");
        Assert.DoesNotContain("last line", await kit.LogAsync(runId), StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_huge_line_is_kept_in_chunks_up_to_the_cap()
    {
        var printer = TestPrograms.Compile("""
            #include <string.h>
            #include <unistd.h>
            int main(void) {
              static char chunk[1 << 16];
              memset(chunk, 'x', sizeof chunk);
              for (int i = 0; i < 320; i++) { if (write(1, chunk, sizeof chunk) < 0) return 2; }
              if (write(1, "\nafter\n", 7) < 0) return 2;
              return 0;
            }
            """);
        var (runId, run) = await kit.RunAsync(printer);

        await AssertCappedAsync(runId, run, "[stdout] xxxxxxxx");
        var lines = (await kit.LogAsync(runId)).TrimEnd('\n').Split('\n');
        Assert.Contains("[stdout+] xxxxxxxx", lines[1], StringComparison.Ordinal);
    }

    private async Task AssertCappedAsync(Guid runId, System.Text.Json.JsonElement run, string firstLine)
    {
        Assert.Equal("passed", run.GetProperty("status").GetString());
        Assert.True(run.GetProperty("logTruncated").GetBoolean());
        var log = await kit.LogAsync(runId);
        var bytes = Encoding.UTF8.GetByteCount(log);
        Assert.Equal(bytes, run.GetProperty("logBytes").GetInt64());
        Assert.InRange(bytes, Cap / 2, Cap + 512);
        var lines = log.TrimEnd('\n').Split('\n');
        Assert.Contains(firstLine, lines[0], StringComparison.Ordinal);
        Assert.Single(lines, l => l.Contains("[byot] log truncated", StringComparison.Ordinal));
        Assert.Contains("[byot] log truncated", lines[^1], StringComparison.Ordinal);
        await RunnerKit.AssertCleanedUpAsync(runId);
    }
}
