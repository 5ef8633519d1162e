using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Security;

/// <summary>Memory and CPU requests are bounded by settings at upload and PATCH (400 naming the maximum), and a request
/// the engine still refuses fails the run once with the engine's reason: no infra_error retries, no operator page.</summary>
public sealed class ResourceLimitTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private static readonly Dictionary<string, string?> Limits = new()
    {
        ["Byot:Upload:MaxMemoryMb"] = "1024",
        ["Byot:Upload:MaxCpus"] = "2",
    };

    private FunctionsClient client = null!;
    private ByotApi api = null!;

    public Task InitializeAsync()
    {
        client = new FunctionsClient(environment, Limits);
        api = new ByotApi(client);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await client.DisposeAsync();

    [Theory]
    [InlineData("docker_memory_mb", "2048", "from 6 to 1024")]
    [InlineData("docker_cpus", "3", "from 0.01 to 2 (Byot:Upload:MaxCpus)")]
    public async Task Upload_over_the_maximum_is_400_naming_it(string field, string value, string hint)
    {
        var before = await environment.ScalarAsync("SELECT count(*) FROM tests");

        var response = await api.UploadAsync("#!/bin/sh\n"u8.ToArray(), "t.sh", [("runtime", "go"), (field, value)]);

        Assert.True(response.Status == 400, response.ToString());
        Assert.Equal(field, response.Json.GetProperty("field").GetString());
        Assert.Contains(hint, response.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await environment.ScalarAsync("SELECT count(*) FROM tests"));
    }

    [Theory]
    [InlineData("""{"memoryMb": 4096}""", "memoryMb", "from 6 to 1024")]
    [InlineData("""{"cpus": 2.5}""", "cpus", "from 0.01 to 2 (Byot:Upload:MaxCpus)")]
    public async Task Patch_over_the_maximum_is_400_naming_it_and_changes_nothing(string patch, string field, string hint)
    {
        var id = await api.UploadOkAsync("#!/bin/sh\n"u8.ToArray(), "go");

        var response = await api.PatchTestAsync(id.ToString("D"), patch);

        Assert.True(response.Status == 400, response.ToString());
        Assert.Equal(field, response.Json.GetProperty("field").GetString());
        Assert.Contains(hint, response.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var test = (await api.GetTestAsync(id.ToString("D"))).Json;
        Assert.Equal(512, test.GetProperty("memoryMb").GetInt32());
        Assert.Equal(1, test.GetProperty("cpus").GetDouble());
        await api.DeleteTestAsync(id.ToString("D"));
    }

    [Theory]
    [InlineData("go", null, 1.0)]
    [InlineData("playwright", null, 2.0)]
    [InlineData("playwright", "0.5", 0.5)]
    public async Task A_browser_test_gets_two_cpus_unless_it_asks(string runtime, string? cpus, double expected)
    {
        (string, string)[] fields = cpus is null ? [("runtime", runtime)] : [("runtime", runtime), ("docker_cpus", cpus)];

        var response = await api.UploadAsync("#!/bin/sh\n"u8.ToArray(), "t.sh", fields);

        Assert.True(response.Status == 201, response.ToString());
        var id = response.Json.GetProperty("id").GetString()!;
        Assert.Equal(expected, (await api.GetTestAsync(id)).Json.GetProperty("cpus").GetDouble());
        await api.DeleteTestAsync(id);
    }

    [Fact]
    public async Task A_request_the_engine_refuses_fails_once_and_is_not_an_infra_error()
    {
        // Defaults allow 64 CPUs; this machine's engine has fewer and refuses the container.
        await using var kit = await RunnerKit.StartAsync(environment, new Dictionary<string, string?> { ["Byot:Runner:InfraRetryDelaySeconds"] = "0" });
        var cpus = (Environment.ProcessorCount + 8).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (runId, run) = await kit.RunAsync(RunnerKit.Shell("echo never"), ("docker_cpus", cpus));

        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Equal(1, run.GetProperty("attempt").GetInt32());
        Assert.Contains("Docker engine refused this test's container", run.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("CPU", run.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await RunnerKit.LeftoversAsync(runId));
    }
}
