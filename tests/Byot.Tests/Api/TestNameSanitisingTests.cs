using Xunit;

namespace Byot.Tests.Api;

/// <summary>Control characters (CR/LF, escapes, NUL, bidi overrides) never reach a stored test name: they are
/// stripped at upload and at PATCH, so no page, log line or message shows a forged line or reversed text.</summary>
public sealed class TestNameSanitisingTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private FunctionsClient client = null!;
    private ByotApi api = null!;

    public async Task InitializeAsync()
    {
        client = new FunctionsClient(environment);
        api = new ByotApi(client);
        await Task.CompletedTask;
    }

    public async Task DisposeAsync() => await client.DisposeAsync();

    [Fact]
    public async Task Upload_strips_control_characters_from_the_name()
    {
        var response = await api.UploadAsync("x"u8.ToArray(), "c.sh", [("runtime", "go"), ("severity", "P2"), ("name", "check\u001b[31mout\r\nFAKE: line\u202E\u0007")]);

        Assert.True(response.Status == 201, response.ToString());
        var name = (await api.GetTestAsync(response.Json.GetProperty("id").GetString()!)).Json.GetProperty("name").GetString();
        Assert.Equal("check[31moutFAKE: line", name);
    }

    [Fact]
    public async Task Patch_strips_control_characters_and_a_name_of_nothing_else_is_400()
    {
        var id = (await api.UploadOkAsync("x"u8.ToArray(), "go")).ToString();

        var renamed = await api.PatchTestAsync(id, """{"name": "pay\u0000ment\u2066 flow\n"}""");
        var empty = await api.PatchTestAsync(id, """{"name": "\r\n\u001b"}""");

        Assert.True(renamed.Status == 200, renamed.ToString());
        Assert.Equal("payment flow", renamed.Json.GetProperty("name").GetString());
        Assert.Equal(400, empty.Status);
        Assert.Equal("name", empty.Json.GetProperty("field").GetString());
        Assert.Equal("payment flow", (await api.GetTestAsync(id)).Json.GetProperty("name").GetString());
    }
}
