using System.Text;
using Byot.Functions.Http;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Api;

/// <summary>Inputs of non-upload routes are bounded before they are parsed: a JSON body over Byot:Api:MaxJsonBodyBytes
/// is 413 whether or not it says its length, and a tampered paging cursor is 400, never 500.</summary>
public sealed class InputLimitsTests(ByotEnvironment environment) : ApiTestBase(environment, new Dictionary<string, string?> { ["Byot:Api:MaxJsonBodyBytes"] = "2048" })
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_patch_body_over_the_limit_is_413_and_changes_nothing(bool withLength)
    {
        var id = (await Api.UploadOkAsync("x"u8.ToArray(), "go")).ToString();
        var json = Encoding.UTF8.GetBytes($$"""{"name": "{{new string('n', 3000)}}"}""");

        var response = await Client.InvokeAsync("PATCH", $"/tests/{id}", r => Client.Function<TestsFunctions>().UpdateTest(r, id, CancellationToken.None),
            withLength ? new MemoryStream(json) : new UnseekableStream(json), "application/json");

        Assert.True(response.Status == 413, response.ToString());
        Assert.Equal("application/problem+json; charset=utf-8", response.ContentType);
        Assert.Equal("urn:byot:problem:body-too-large", response.Json.GetProperty("type").GetString());
        Assert.Contains("Byot:Api:MaxJsonBodyBytes", response.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(new string('n', 3000), (await Api.GetTestAsync(id)).Json.GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_body_under_the_limit_is_read()
    {
        var id = (await Api.UploadOkAsync("x"u8.ToArray(), "go")).ToString();

        var response = await Api.PatchTestAsync(id, $$"""{"name": "{{new string('n', 150)}}"}""");

        Assert.True(response.Status == 200, response.ToString());
    }

    [Fact]
    public async Task A_run_body_over_the_limit_is_413_and_queues_nothing()
    {
        var testId = await Api.UploadOkAsync("x"u8.ToArray(), "go");

        var response = await Client.RunNowWithBodyAsync(testId.ToString(), $$"""{"filename": "{{new string('f', 4000)}}"}""");

        Assert.True(response.Status == 413, response.ToString());
        Assert.Equal(0, await Fixture.ScalarAsync("SELECT count(*) FROM runs WHERE test_id = @t", ("t", testId)));
    }

    [Fact]
    public async Task The_default_limit_is_one_mebibyte()
    {
        await using var defaults = new FunctionsClient(Fixture);
        var id = (await new ByotApi(defaults).UploadOkAsync("x"u8.ToArray(), "go")).ToString();
        var json = Encoding.UTF8.GetBytes($$"""{"name": "n", "pad": "{{new string(' ', 1024 * 1024)}}"}""");

        var response = await defaults.InvokeAsync("PATCH", $"/tests/{id}", r => defaults.Function<TestsFunctions>().UpdateTest(r, id, CancellationToken.None),
            new UnseekableStream(json), "application/json");

        Assert.True(response.Status == 413, response.ToString());
    }

    [Theory]
    [InlineData("99999999999999999999999999:00000000000000000000000000000000")]
    [InlineData("3155378976000000001:00000000000000000000000000000000")]
    [InlineData("-5:00000000000000000000000000000000")]
    [InlineData("638000000000000000")]
    [InlineData("638000000000000000:not-a-guid")]
    [InlineData("1:2:3")]
    [InlineData("")]
    public async Task A_tampered_cursor_is_400_naming_the_cursor(string decoded)
    {
        var id = await Api.UploadOkAsync("x"u8.ToArray(), "go");
        var cursor = Convert.ToBase64String(Encoding.ASCII.GetBytes(decoded)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        var response = await Api.HistoryAsync(id.ToString(), $"?cursor={(cursor.Length == 0 ? "%3D" : cursor)}");

        Assert.True(response.Status == 400, response.ToString());
        Assert.Equal("cursor", response.Json.GetProperty("field").GetString());
    }

    [Fact]
    public async Task An_overlong_cursor_is_400()
    {
        var id = await Api.UploadOkAsync("x"u8.ToArray(), "go");

        var response = await Api.HistoryAsync(id.ToString(), $"?cursor={new string('A', 100_000)}");

        Assert.True(response.Status == 400, response.ToString());
        Assert.Equal("cursor", response.Json.GetProperty("field").GetString());
    }
}
