using System.Text;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Isolation;

/// <summary>A test asks for gVisor at upload or PATCH and gets it from a runc-floor Runner; a bad request is a 400
/// naming the choices; a Runner whose gVisor floor the engine cannot meet refuses to start.</summary>
public sealed class IsolationRequestTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private RunnerKit kit = null!;

    public async Task InitializeAsync() =>
        kit = await RunnerKit.StartAsync(environment, new Dictionary<string, string?> { ["Byot:Runner:Isolation"] = "runc" });

    public async Task DisposeAsync() => await kit.DisposeAsync();

    [Fact]
    public async Task A_runc_floor_runner_gives_gvisor_to_a_test_that_asks_and_runc_to_one_that_does_not()
    {
        var script = Encoding.UTF8.GetBytes("dmesg 2>&1 | head -1\n");
        var asked = await kit.UploadAsync(script, "shell", "a.sh", ("isolation", "gvisor"));
        var plain = await kit.UploadAsync(script, "shell", "b.sh");

        var askedRun = await kit.Api.WaitForFinalAsync(await kit.Api.RunNowOkAsync(asked));
        var plainRun = await kit.Api.WaitForFinalAsync(await kit.Api.RunNowOkAsync(plain));

        Assert.Equal("gvisor", askedRun.GetProperty("isolation").GetString());
        Assert.Equal("runc", plainRun.GetProperty("isolation").GetString());
        Assert.Contains("Starting gVisor", await kit.LogAsync(askedRun.GetProperty("id").GetGuid()), StringComparison.Ordinal);
        Assert.DoesNotContain("Starting gVisor", await kit.LogAsync(plainRun.GetProperty("id").GetGuid()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_sets_and_clears_the_request()
    {
        var id = await kit.UploadAsync(Encoding.UTF8.GetBytes("true\n"), "shell", "c.sh");

        var set = await kit.Api.PatchTestAsync(id.ToString(), """{"isolation":"gvisor"}""");
        Assert.Equal("gvisor", set.Json.GetProperty("isolation").GetString());
        var cleared = await kit.Api.PatchTestAsync(id.ToString(), """{"isolation":null}""");
        Assert.Equal("default", cleared.Json.GetProperty("isolation").GetString());
    }

    [Fact]
    public async Task Asking_for_less_or_something_unknown_is_a_400_naming_the_choices_and_stores_nothing()
    {
        var before = (await kit.Api.ListTestsAsync()).Json.GetArrayLength();
        var response = await kit.Api.UploadAsync(Encoding.UTF8.GetBytes("true\n"), "d.sh", [("runtime", "shell"), ("isolation", "none")]);

        Assert.Equal(400, response.Status);
        Assert.Equal("isolation", response.Json.GetProperty("field").GetString());
        Assert.Equal(["default", "gvisor"], response.Json.GetProperty("allowed").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(before, (await kit.Api.ListTestsAsync()).Json.GetArrayLength());
    }

    [Fact]
    public async Task A_gvisor_floor_runner_refuses_to_start_when_the_engine_lacks_the_runtime()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => RunnerHost.StartAsync(environment, new Dictionary<string, string?>
        {
            ["Byot:Runner:Isolation"] = "gvisor",
            ["Byot:Runner:GvisorRuntime"] = "byot-not-registered",
        }));

        Assert.Contains("byot-not-registered", failure.Message, StringComparison.Ordinal);
    }
}
