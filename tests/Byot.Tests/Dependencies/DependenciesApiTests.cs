using System.Text.Json;
using Byot.Tests.Alerts;
using Xunit;

namespace Byot.Tests.Dependencies;

/// <summary><c>dependsOn</c> through the API: set at upload (<c>depends_on</c>) and by PATCH, shown in the views; ids
/// of no test, a test depending on itself and every cycle (by ids, through tags, closed by another test's tag change)
/// are a 400 naming the field and the cycle by names, and a refused write leaves everything as it was.</summary>
public sealed class DependenciesApiTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private static readonly byte[] Script = "#!/bin/sh\nexit 0\n"u8.ToArray();

    private AlertHarness h = null!;

    public async Task InitializeAsync() => h = await AlertHarness.StartAsync(environment);

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task DependsOn_given_at_upload_is_shown_kept_in_order_and_replaced_or_removed_by_PATCH()
    {
        var auth = await UploadAsync("auth");
        var db = await UploadAsync("db");
        var checkout = await UploadAsync("checkout", dependsOn: $"tag:service:auth, {auth.ToString().ToUpperInvariant()} {auth}");

        Assert.Equal(["tag:service:auth", auth.ToString()], DependsOn((await h.Api.GetTestAsync(checkout.ToString())).Json));
        Assert.Equal(["tag:service:auth", auth.ToString()], DependsOn((await h.Api.ListTestsAsync()).Json.EnumerateArray()
            .Single(s => s.GetProperty("test").GetProperty("id").GetGuid() == checkout).GetProperty("test")));

        var patched = await h.Api.PatchTestAsync(checkout.ToString(), $$"""{"dependsOn": ["{{db}}"]}""");
        Assert.True(patched.Status == 200, patched.ToString());
        Assert.Equal([db.ToString()], DependsOn(patched.Json));

        var untouched = await h.Api.PatchTestAsync(checkout.ToString(), """{"timeoutSeconds": 40}""");
        Assert.Equal([db.ToString()], DependsOn(untouched.Json));

        var cleared = await h.Api.PatchTestAsync(checkout.ToString(), """{"dependsOn": null}""");
        Assert.Empty(DependsOn(cleared.Json));
        Assert.Empty(DependsOn((await h.Api.GetTestAsync(auth.ToString())).Json));
    }

    [Theory]
    [InlineData("9a1e7c3e-5b7d-4f3a-9a43-000000000000", "No test with id 9a1e7c3e-5b7d-4f3a-9a43-000000000000 exists")]
    [InlineData("auth", "'auth' is not a dependency")]
    [InlineData("tag:Service:Auth", "is not a dependency")]
    public async Task An_unknown_or_malformed_dependency_at_upload_is_a_400_naming_depends_on_and_nothing_is_stored(string dependsOn, string says)
    {
        var before = await environment.ScalarAsync("SELECT count(*) FROM tests");

        var refused = await h.Api.UploadAsync(Script, "x.test", [("runtime", "go"), ("depends_on", dependsOn)]);

        Assert.True(refused.Status == 400, refused.ToString());
        Assert.Equal("depends_on", refused.Json.GetProperty("field").GetString());
        Assert.Contains(says, refused.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await environment.ScalarAsync("SELECT count(*) FROM tests"));
        Assert.Equal(0, await environment.ScalarAsync("SELECT count(*) FROM test_dependencies d WHERE NOT EXISTS (SELECT 1 FROM tests t WHERE t.id = d.test_id)"));
    }

    [Fact]
    public async Task A_PATCH_naming_the_test_itself_or_an_unknown_test_or_a_non_array_is_a_400_and_changes_nothing()
    {
        var auth = await UploadAsync("auth-self");
        var checkout = await UploadAsync("checkout-self", dependsOn: auth.ToString());

        await AssertRefusedAsync(checkout, $$"""{"dependsOn": ["{{checkout}}"], "timeoutSeconds": 99}""", "dependsOn", "cannot depend on itself");
        await AssertRefusedAsync(checkout, $$"""{"dependsOn": ["{{Guid.NewGuid()}}"], "timeoutSeconds": 99}""", "dependsOn", "exists");
        await AssertRefusedAsync(checkout, """{"dependsOn": "tag:service:auth"}""", "dependsOn", "must be an array");

        var view = (await h.Api.GetTestAsync(checkout.ToString())).Json;
        Assert.Equal([auth.ToString()], DependsOn(view));
        Assert.NotEqual(99, view.GetProperty("timeoutSeconds").GetInt32());
    }

    [Fact]
    public async Task A_cycle_by_ids_is_a_400_naming_it_by_test_names_and_nothing_of_the_PATCH_is_written()
    {
        var auth = await UploadAsync("auth-c1");
        var checkout = await UploadAsync("checkout-c1", dependsOn: auth.ToString());

        var detail = await AssertRefusedAsync(auth, $$"""{"dependsOn": ["{{checkout}}"], "timeoutSeconds": 99}""", "dependsOn", "dependency cycle");

        Assert.Contains("auth-c1 → checkout-c1 → auth-c1", detail, StringComparison.Ordinal);
        var view = (await h.Api.GetTestAsync(auth.ToString())).Json;
        Assert.Empty(DependsOn(view));
        Assert.NotEqual(99, view.GetProperty("timeoutSeconds").GetInt32());
    }

    [Fact]
    public async Task A_cycle_through_a_tag_is_refused_naming_the_tag()
    {
        var tag = Unique("service:auth");
        var auth = await UploadAsync("auth-c2", tags: tag);
        await UploadAsync("checkout-c2", dependsOn: $"tag:{tag}");

        var checkout = (await h.Api.ListTestsAsync()).Json.EnumerateArray()
            .Single(s => s.GetProperty("test").GetProperty("name").GetString() == "checkout-c2").GetProperty("test").GetProperty("id").GetGuid();
        var detail = await AssertRefusedAsync(auth, $$"""{"dependsOn": ["{{checkout}}"]}""", "dependsOn", "dependency cycle");

        Assert.Contains("auth-c2 → checkout-c2 → auth-c2", detail, StringComparison.Ordinal);
        Assert.Contains($"checkout-c2 depends on tag:{tag}", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tag_change_of_another_test_that_would_close_a_cycle_is_refused_and_keeps_its_tags()
    {
        var tag = Unique("service:auth");
        var checkout = await UploadAsync("checkout-c3", dependsOn: $"tag:{tag}");
        var auth = await UploadAsync("auth-c3", dependsOn: checkout.ToString(), tags: "team:identity");

        // No test carries the tag yet, so this is fine; tagging auth with it would make checkout depend on auth.
        var detail = await AssertRefusedAsync(auth, $$"""{"tags": ["{{tag}}", "team:identity"]}""", "tags", "dependency cycle");

        Assert.Contains("auth-c3 → checkout-c3 → auth-c3", detail, StringComparison.Ordinal);
        Assert.Equal(["team:identity"], (await h.Api.GetTestAsync(auth.ToString())).Json.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task An_upload_depending_on_a_tag_it_carries_or_closing_a_cycle_through_its_tags_is_refused_and_stores_nothing()
    {
        var tag = Unique("team:pay");
        var before = await environment.ScalarAsync("SELECT count(*) FROM tests");

        var self = await h.Api.UploadAsync(Script, "x.test", [("runtime", "go"), ("name", "pay-self"), ("tags", tag), ("depends_on", $"tag:{tag}")]);
        Assert.True(self.Status == 400, self.ToString());
        Assert.Equal("depends_on", self.Json.GetProperty("field").GetString());
        Assert.Contains("pay-self → pay-self", self.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var auth = await UploadAsync("auth-c4", dependsOn: $"tag:{tag}");
        var closing = await h.Api.UploadAsync(Script, "x.test", [("runtime", "go"), ("name", "pay-c4"), ("tags", tag), ("depends_on", auth.ToString())]);
        Assert.True(closing.Status == 400, closing.ToString());
        Assert.Contains("pay-c4 → auth-c4 → pay-c4", closing.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before + 1, await environment.ScalarAsync("SELECT count(*) FROM tests"));
    }

    private async Task<string> AssertRefusedAsync(Guid test, string patch, string field, string says)
    {
        var refused = await h.Api.PatchTestAsync(test.ToString(), patch);
        Assert.True(refused.Status == 400, refused.ToString());
        Assert.StartsWith("application/problem+json", refused.ContentType, StringComparison.Ordinal);
        Assert.Equal(field, refused.Json.GetProperty("field").GetString());
        var detail = refused.Json.GetProperty("detail").GetString()!;
        Assert.Contains(says, detail, StringComparison.Ordinal);
        return detail;
    }

    private async Task<Guid> UploadAsync(string name, string? dependsOn = null, string? tags = null)
    {
        var fields = new List<(string, string)> { ("runtime", "go"), ("name", name) };
        if (dependsOn is not null)
        {
            fields.Add(("depends_on", dependsOn));
        }

        if (tags is not null)
        {
            fields.Add(("tags", tags));
        }

        var response = await h.Api.UploadAsync(Script, "x.test", fields);
        Assert.True(response.Status == 201, response.ToString());
        return response.Json.GetProperty("id").GetGuid();
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    private static List<string> DependsOn(JsonElement test) => [.. test.GetProperty("dependsOn").EnumerateArray().Select(t => t.GetString()!)];
}
