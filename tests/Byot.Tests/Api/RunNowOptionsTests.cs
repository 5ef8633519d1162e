using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Api;

/// <summary>The original project's run call, <c>POST /run/{id}</c> with <c>{"filename": …, "runtime": …, "timeout": …}</c>:
/// the body is read, its timeout applies to that run only (on the real Runner), and a body that does not match the
/// test is refused before anything is queued.</summary>
public sealed class RunNowOptionsTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private static readonly byte[] SleepFour = "#!/bin/sh\necho start\nsleep 4\necho done\n"u8.ToArray();

    private FunctionsClient client = null!;
    private ByotApi api = null!;

    public async Task InitializeAsync()
    {
        client = new FunctionsClient(environment);
        api = new ByotApi(client);
        await Task.CompletedTask;
    }

    public async Task DisposeAsync() => await client.DisposeAsync();

    [Theory]
    [InlineData("""{"runtime": "python"}""", "runtime")]
    [InlineData("""{"filename": "other.js"}""", "filename")]
    [InlineData("""{"timeout": 0}""", "timeout")]
    [InlineData("""{"timeout": 86401}""", "timeout")]
    [InlineData("""{"timeout": "60"}""", "timeout")]
    [InlineData("""{"timeout": 1.5}""", "timeout")]
    [InlineData("""{"timout": 60}""", "timout")]
    public async Task A_body_that_does_not_fit_the_test_is_400_naming_the_field_and_queues_nothing(string json, string field)
    {
        var testId = await api.UploadOkAsync(SleepFour, "go", fileName: "checkout.sh");

        var response = await client.RunNowWithBodyAsync(testId.ToString(), json);

        Assert.True(response.Status == 400, response.ToString());
        Assert.Equal("application/problem+json; charset=utf-8", response.ContentType);
        Assert.Equal(field, response.Json.GetProperty("field").GetString());
        Assert.Equal(0, await environment.ScalarAsync("SELECT count(*) FROM runs WHERE test_id = @t", ("t", testId)));
    }

    [Theory]
    [InlineData("""{"timeout": 60""")]
    [InlineData("""[60]""")]
    [InlineData("timeout=60")]
    public async Task Malformed_json_is_400(string json)
    {
        var testId = await api.UploadOkAsync(SleepFour, "go", fileName: "checkout.sh");

        var response = await client.RunNowWithBodyAsync(testId.ToString(), json);

        Assert.True(response.Status == 400, response.ToString());
        Assert.Equal(0, await environment.ScalarAsync("SELECT count(*) FROM runs WHERE test_id = @t", ("t", testId)));
    }

    [Fact]
    public async Task The_original_call_with_matching_fields_is_accepted_and_its_timeout_is_stored_on_the_run()
    {
        var testId = await api.UploadOkAsync(SleepFour, "go", fileName: "checkout.sh");

        var response = await client.RunNowWithBodyAsync(testId.ToString(), """{"filename": "checkout.sh", "runtime": "go", "timeout": 60}""");

        Assert.True(response.Status == 202, response.ToString());
        var runId = response.Json.GetProperty("id").GetGuid();
        Assert.Equal(60, await environment.ScalarAsync("SELECT timeout_seconds FROM runs WHERE id = @id", ("id", runId)));
    }

    [Fact]
    public async Task The_body_timeout_overrides_the_test_timeout_for_that_run_only_on_the_real_runner()
    {
        var upload = await api.UploadAsync(SleepFour, "sleep.sh", [("runtime", "go"), ("severity", "P3"), ("timeout", "2")]);
        Assert.True(upload.Status == 201, upload.ToString());
        var testId = upload.Json.GetProperty("id").GetGuid().ToString();
        await using var runner = await RunnerHost.StartAsync(environment);

        var longer = await client.RunNowWithBodyAsync(testId, """{"filename": "sleep.sh", "runtime": "go", "timeout": 6}""");
        var longerRun = await api.WaitForFinalAsync(longer.Json.GetProperty("id").GetGuid());
        var plain = await client.RunNowWithBodyAsync(testId, null);
        var plainRun = await api.WaitForFinalAsync(plain.Json.GetProperty("id").GetGuid());

        Assert.Equal(202, longer.Status);
        Assert.Equal("passed", longerRun.GetProperty("status").GetString());
        Assert.Equal(202, plain.Status);
        Assert.Equal("timed_out", plainRun.GetProperty("status").GetString());
        Assert.Equal(2, (await api.GetTestAsync(testId)).Json.GetProperty("timeoutSeconds").GetInt32());
    }
}
