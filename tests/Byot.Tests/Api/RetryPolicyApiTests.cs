using Byot.Tests.Uploads;
using Xunit;

namespace Byot.Tests.Api;

/// <summary>A test's retry policy through every way a definition is written: the multipart upload, the direct
/// upload, PATCH; shown on the test; each bad value a 400 naming the field and its range, with nothing stored.</summary>
public sealed class RetryPolicyApiTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private static readonly byte[] Script = "#!/bin/sh\nexit 0\n"u8.ToArray();
    private FunctionsClient client = null!;
    private ByotApi api = null!;

    public Task InitializeAsync()
    {
        client = new FunctionsClient(environment);
        api = new ByotApi(client);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await client.DisposeAsync();

    [Fact]
    public async Task A_test_without_a_policy_has_no_retries()
    {
        var id = await api.UploadOkAsync(Script, "shell", fileName: "plain.sh");

        var test = (await api.GetTestAsync(id.ToString())).Json;

        Assert.Equal(0, test.GetProperty("retries").GetInt32());
        Assert.Equal(0, test.GetProperty("retryDelaySeconds").GetInt32());
        Assert.Equal("fixed", test.GetProperty("retryBackoff").GetString());
    }

    [Fact]
    public async Task The_multipart_upload_sets_the_policy_and_patch_changes_it()
    {
        var upload = await api.UploadAsync(Script, "retry.sh", [("runtime", "shell"), ("retries", "2"), ("retry_delay", "15"), ("retry_backoff", "Exponential")]);
        Assert.True(upload.Status == 201, upload.ToString());
        var id = upload.Json.GetProperty("id").GetString()!;
        var test = (await api.GetTestAsync(id)).Json;
        Assert.Equal((2, 15, "exponential"), (test.GetProperty("retries").GetInt32(), test.GetProperty("retryDelaySeconds").GetInt32(), test.GetProperty("retryBackoff").GetString()));

        var patched = await api.PatchTestAsync(id, """{"retries":5,"retryBackoff":"linear"}""");

        Assert.True(patched.Status == 200, patched.ToString());
        test = (await api.GetTestAsync(id)).Json;
        Assert.Equal((5, 15, "linear"), (test.GetProperty("retries").GetInt32(), test.GetProperty("retryDelaySeconds").GetInt32(), test.GetProperty("retryBackoff").GetString()));
        Assert.Contains((await api.ListTestsAsync()).Json.EnumerateArray(), t => t.GetProperty("test").GetProperty("id").GetString() == id && t.GetProperty("test").GetProperty("retries").GetInt32() == 5);
    }

    [Fact]
    public async Task The_direct_upload_sets_the_policy_too()
    {
        var direct = new DirectUploads(client);
        var (uploadId, testId, url) = await DirectUploads.BeganAsync(direct.BeginTestAsync("""
            {"fileName": "direct-retry.sh", "runtime": "shell", "retries": 3, "retry_delay": 20, "retry_backoff": "linear"}
            """));
        await DirectUploads.PutAsync(url, Script);

        var commit = await direct.CommitAsync(uploadId.ToString(), DirectUploads.Sha256(Script), Script.Length);

        Assert.True(commit.Status == 201, commit.ToString());
        var test = (await api.GetTestAsync(testId.ToString())).Json;
        Assert.Equal((3, 20, "linear"), (test.GetProperty("retries").GetInt32(), test.GetProperty("retryDelaySeconds").GetInt32(), test.GetProperty("retryBackoff").GetString()));
    }

    [Theory]
    [InlineData("retries", "6", "from 0 to 5")]
    [InlineData("retries", "-1", "from 0 to 5")]
    [InlineData("retries", "two", "from 0 to 5")]
    [InlineData("retry_delay", "301", "from 0 to 300")]
    [InlineData("retry_backoff", "random", "fixed")]
    public async Task A_bad_upload_value_is_a_400_naming_the_field_and_its_range_and_stores_nothing(string field, string value, string named)
    {
        var before = (await api.ListTestsAsync()).Json.GetArrayLength();

        var response = await api.UploadAsync(Script, "bad.sh", [("runtime", "shell"), (field, value)]);

        Assert.Equal(400, response.Status);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        Assert.Equal(field, response.Json.GetProperty("field").GetString());
        Assert.Contains(named, response.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, (await api.ListTestsAsync()).Json.GetArrayLength());
    }

    [Fact]
    public async Task A_bad_direct_upload_value_is_refused_at_begin()
    {
        var response = await new DirectUploads(client).BeginTestAsync("""{"fileName": "d.sh", "runtime": "shell", "retries": 9}""");

        Assert.Equal(400, response.Status);
        Assert.Equal("retries", response.Json.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("""{"retries":6}""", "retries", "from 0 to 5")]
    [InlineData("""{"retries":"2"}""", "retries", "from 0 to 5")]
    [InlineData("""{"retryDelaySeconds":1000}""", "retryDelaySeconds", "from 0 to 300")]
    [InlineData("""{"retryBackoff":"sometimes"}""", "retryBackoff", "exponential")]
    [InlineData("""{"retryBackoff":3}""", "retryBackoff", "exponential")]
    public async Task A_bad_patch_value_is_a_400_naming_the_field_and_changes_nothing(string json, string field, string named)
    {
        var id = (await api.UploadOkAsync(Script, "shell", fileName: "patched.sh")).ToString();

        var response = await api.PatchTestAsync(id, json);

        Assert.Equal(400, response.Status);
        Assert.Equal(field, response.Json.GetProperty("field").GetString());
        Assert.Contains(named, response.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await api.GetTestAsync(id)).Json.GetProperty("retries").GetInt32());
    }
}
