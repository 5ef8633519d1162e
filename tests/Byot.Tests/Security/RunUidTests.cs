using System.Globalization;
using System.Text.RegularExpressions;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Security;

/// <summary>Each concurrent run gets its own uid from the configured range, can read its /app and write its
/// /artifacts; two runs going on at the same time never hold the same uid.</summary>
public sealed class RunUidTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private RunnerKit kit = null!;

    public async Task InitializeAsync() => kit = await RunnerKit.StartAsync(environment, new Dictionary<string, string?>
    {
        ["Byot:Runner:UidRangeStart"] = "300000",
        ["Byot:Runner:UidRangeSize"] = "8",
    });

    public async Task DisposeAsync() => await kit.DisposeAsync();

    [Fact]
    public async Task Two_runs_at_once_never_share_a_uid()
    {
        var script = RunnerKit.Shell("""
            echo "uid=$(id -u) gid=$(id -g)"
            test -r /app/test.sh && echo "app readable"
            echo mine > /artifacts/mine.txt && echo "artifacts writable"
            # Wait until the other run is up too, so both hold their uid at the same time.
            sleep 3
            """);
        var first = await kit.UploadAsync(script);
        var second = await kit.UploadAsync(script);

        var runs = await Task.WhenAll(kit.Api.RunNowOkAsync(first), kit.Api.RunNowOkAsync(second));
        var uids = new List<int>();
        foreach (var runId in runs)
        {
            var run = await kit.Api.WaitForFinalAsync(runId);
            var log = await kit.LogAsync(runId);
            Assert.True(run.GetProperty("status").GetString() == "passed", log);
            Assert.Contains("app readable", log, StringComparison.Ordinal);
            Assert.Contains("artifacts writable", log, StringComparison.Ordinal);
            var match = Regex.Match(log, @"uid=(\d+) gid=(\d+)");
            Assert.True(match.Success, log);
            Assert.Equal(match.Groups[1].Value, match.Groups[2].Value);
            uids.Add(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
        }

        Assert.All(uids, uid => Assert.InRange(uid, 300_000, 300_007));
        Assert.NotEqual(uids[0], uids[1]);
    }
}
