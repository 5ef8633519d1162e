using System.Text.Json;
using Byot.Functions.Http;
using Byot.Shared.Domain;
using Byot.Tests.Alerts;
using Byot.Tests.Incidents;
using Xunit;

namespace Byot.Tests.Tags;

/// <summary>Tags set at upload and by PATCH, and the filters that use them: GET /tests, the status page and GET
/// /incidents. A bad tag is a 400 naming the field, and a refused upload leaves nothing behind.</summary>
public sealed class TagsApiTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private static readonly byte[] Script = "#!/bin/sh\nexit 0\n"u8.ToArray();

    private AlertHarness h = null!;

    public async Task InitializeAsync() =>
        h = await AlertHarness.StartAsync(environment, extra: new Dictionary<string, string?> { ["Byot:Status:Public"] = "true" });

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task Tags_given_at_upload_are_sorted_without_duplicates_and_replaced_or_removed_by_PATCH()
    {
        var id = await UploadAsync("checkout", "service:checkout, team:payments,team:payments");

        Assert.Equal(["service:checkout", "team:payments"], Tags((await h.Api.GetTestAsync(id.ToString())).Json));

        var patched = await h.Api.PatchTestAsync(id.ToString(), """{"tags": ["team:growth", "eu"]}""");
        Assert.True(patched.Status == 200, patched.ToString());
        Assert.Equal(["eu", "team:growth"], Tags(patched.Json));

        var untouched = await h.Api.PatchTestAsync(id.ToString(), """{"timeoutSeconds": 40}""");
        Assert.Equal(["eu", "team:growth"], Tags(untouched.Json));

        var cleared = await h.Api.PatchTestAsync(id.ToString(), """{"tags": null}""");
        Assert.Empty(Tags(cleared.Json));
    }

    [Fact]
    public async Task GET_tests_lists_only_the_tests_carrying_every_tag_asked_for()
    {
        var payments = await UploadAsync("pay", "team:list-pay,eu");
        var paymentsUs = await UploadAsync("pay-us", "team:list-pay");
        await UploadAsync("search", "team:list-search");

        Assert.Equal([payments, paymentsUs], await ListAsync("?tag=team:list-pay"));
        Assert.Equal([payments], await ListAsync("?tag=team:list-pay&tag=eu"));
        Assert.Empty(await ListAsync("?tag=team:nobody"));
        Assert.Equal(["eu", "team:list-pay"], Tags((await h.Api.ListTestsAsync()).Json.EnumerateArray()
            .Single(s => s.GetProperty("test").GetProperty("id").GetGuid() == payments).GetProperty("test")));
    }

    [Theory]
    [InlineData("Team:Payments")]
    [InlineData("-leading-dash")]
    [InlineData("has space;drop")]
    [InlineData("a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u")]
    public async Task A_bad_tag_at_upload_is_a_400_naming_tags_and_nothing_is_stored(string tags)
    {
        var before = await environment.ScalarAsync("SELECT count(*) FROM tests");

        var refused = await h.Api.UploadAsync(Script, "x.test", [("runtime", "go"), ("tags", tags)]);

        Assert.Equal(400, refused.Status);
        Assert.Equal("tags", refused.Json.GetProperty("field").GetString());
        Assert.Equal(before, await environment.ScalarAsync("SELECT count(*) FROM tests"));
        Assert.Equal(0, await environment.ScalarAsync("SELECT count(*) FROM test_tags t WHERE NOT EXISTS (SELECT 1 FROM tests s WHERE s.id = t.test_id)"));
    }

    [Theory]
    [InlineData("""{"tags": "team:payments"}""")]
    [InlineData("""{"tags": ["UPPER"]}""")]
    [InlineData("""{"tags": [1]}""")]
    public async Task A_bad_tags_patch_is_a_400_and_keeps_the_tags(string patch)
    {
        var id = await UploadAsync("cart", "team:cart");

        var refused = await h.Api.PatchTestAsync(id.ToString(), patch);

        Assert.Equal(400, refused.Status);
        Assert.Equal("tags", refused.Json.GetProperty("field").GetString());
        Assert.Equal(["team:cart"], Tags((await h.Api.GetTestAsync(id.ToString())).Json));
        Assert.Equal("tag", (await h.Client.InvokeAsync("GET", "/tests?tag=NOPE", r => h.Client.Function<TestsFunctions>().ListTests(r, CancellationToken.None))).Json.GetProperty("field").GetString());
    }

    [Fact]
    public async Task The_status_page_and_GET_incidents_filter_by_tag()
    {
        var payments = await UploadAsync("payments-flow", "team:status-pay", threshold: "1");
        var search = await UploadAsync("search-flow", "team:status-search", threshold: "1");
        await h.RecordAsync(payments, RunStatus.Failed);
        await h.RecordAsync(search, RunStatus.Failed);

        var board = await h.Client.InvokeAsync("GET", "/status.json?tag=team:status-pay", r => h.Client.Function<StatusFunctions>().Json(r, CancellationToken.None));
        Assert.True(board.Status == 200, board.ToString());
        Assert.Equal([payments], board.Json.GetProperty("flows").EnumerateArray().Select(f => f.GetProperty("id").GetGuid()));
        Assert.Equal(["team:status-pay"], Tags(board.Json));
        var page = await h.Client.InvokeAsync("GET", "/status?tag=team:status-pay", r => h.Client.Function<StatusFunctions>().Page(r, CancellationToken.None));
        Assert.Contains("payments-flow", page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("search-flow", page.Text, StringComparison.Ordinal);
        Assert.Contains("Flows tagged team:status-pay", page.Text, StringComparison.Ordinal);

        var incidents = await h.ListAsync("?tag=team:status-pay");
        Assert.Equal([await h.OpenIncidentAsync(payments)], incidents.Json.GetProperty("incidents").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
    }

    private async Task<Guid> UploadAsync(string name, string tags, string threshold = "3")
    {
        var response = await h.Api.UploadAsync(Script, name + ".test", [("runtime", "go"), ("name", name), ("tags", tags), ("failure_threshold", threshold)]);
        Assert.True(response.Status == 201, response.ToString());
        return response.Json.GetProperty("id").GetGuid();
    }

    private async Task<Guid[]> ListAsync(string query)
    {
        var response = await h.Client.InvokeAsync("GET", "/tests" + query, r => h.Client.Function<TestsFunctions>().ListTests(r, CancellationToken.None));
        Assert.True(response.Status == 200, response.ToString());
        return [.. response.Json.EnumerateArray().Select(s => s.GetProperty("test").GetProperty("id").GetGuid())];
    }

    private static string[] Tags(JsonElement test) => [.. test.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!)];
}
