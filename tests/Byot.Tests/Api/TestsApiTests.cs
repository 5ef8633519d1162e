using System.Text.Json;
using Xunit;

namespace Byot.Tests.Api;

/// <summary>The tests resource: list, get, change, version, delete; docs/reliability.md rows 4 and 5 for it.</summary>
public sealed class TestsApiTests(ByotEnvironment environment) : ApiTestBase(environment)
{
    private static readonly byte[] Script = "#!/bin/sh\necho hi\n"u8.ToArray();

    [Fact]
    public async Task Names_with_sql_metacharacters_and_unicode_are_stored_verbatim_and_crlf_stripped()
    {
        const string name = "checkout'); DROP TABLE tests; --\r\n✓ 支付 \"quoted\"";
        var upload = await Api.UploadAsync(Script, fields: [("runtime", "go"), ("name", name), ("severity", "P0")]);
        Assert.Equal(201, upload.Status);
        var id = upload.Json.GetProperty("id").GetString()!;

        var test = (await Api.GetTestAsync(id)).Json;

        Assert.Equal(name.Replace("\r\n", "", StringComparison.Ordinal), test.GetProperty("name").GetString());
        Assert.Equal("P0", test.GetProperty("severity").GetString());
        Assert.True(await Fixture.ScalarAsync("SELECT count(*) FROM tests") >= 1);
    }

    [Fact]
    public async Task The_list_shows_each_test_with_its_last_run_and_state()
    {
        var id = await Api.UploadOkAsync(Script, "go");
        var runId = await Api.RunNowOkAsync(id);
        await Fixture.ScalarAsync("WITH u AS (UPDATE runs SET status = 'failed', exit_code = 2, finished_at = now(), duration_ms = 40 WHERE id = @id RETURNING 1) SELECT count(*) FROM u", ("id", runId));
        var idle = await Api.UploadOkAsync(Script, "go");

        var list = (await Api.ListTestsAsync()).Json.EnumerateArray().ToList();

        var failing = list.Single(t => t.GetProperty("test").GetProperty("id").GetGuid() == id);
        Assert.Equal("failing", failing.GetProperty("state").GetString());
        Assert.Equal(runId, failing.GetProperty("lastRun").GetProperty("id").GetGuid());
        var never = list.Single(t => t.GetProperty("test").GetProperty("id").GetGuid() == idle);
        Assert.Equal("never_run", never.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, never.GetProperty("lastRun").ValueKind);
    }

    [Fact]
    public async Task A_patch_changes_only_what_it_names()
    {
        var id = (await Api.UploadOkAsync(Script, "go")).ToString();

        var patched = await Api.PatchTestAsync(id, """{"severity": "P0", "timeoutSeconds": 90, "command": ["/app/checkout.test", "--fast"], "memoryMb": 256, "cpus": 0.5, "networkEnabled": true, "name": "Checkout"}""");

        Assert.True(patched.Status == 200, patched.ToString());
        var test = patched.Json;
        Assert.Equal("P0", test.GetProperty("severity").GetString());
        Assert.Equal(90, test.GetProperty("timeoutSeconds").GetInt32());
        Assert.Equal(["/app/checkout.test", "--fast"], test.GetProperty("command").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(256, test.GetProperty("memoryMb").GetInt32());
        Assert.Equal(0.5, test.GetProperty("cpus").GetDouble());
        Assert.True(test.GetProperty("networkEnabled").GetBoolean());
        Assert.Equal("Checkout", test.GetProperty("name").GetString());
        Assert.Equal(3, test.GetProperty("failureThreshold").GetInt32());

        var cleared = await Api.PatchTestAsync(id, """{"command": null}""");
        Assert.Equal(JsonValueKind.Null, cleared.Json.GetProperty("command").ValueKind);
        Assert.Equal("P0", cleared.Json.GetProperty("severity").GetString());
    }

    [Theory]
    [InlineData("""{"timeoutSeconds": 0}""", "timeoutSeconds")]
    [InlineData("""{"timeoutSeconds": "30"}""", "timeoutSeconds")]
    [InlineData("""{"severity": "P9"}""", "severity")]
    [InlineData("""{"name": ""}""", "name")]
    [InlineData("""{"cpus": 100}""", "cpus")]
    [InlineData("""{"command": []}""", "command")]
    [InlineData("""{"runtime": "node"}""", "runtime")]
    public async Task A_bad_patch_is_400_and_changes_nothing(string json, string field)
    {
        var id = (await Api.UploadOkAsync(Script, "go")).ToString();
        var before = (await Api.GetTestAsync(id)).Text;

        var response = await Api.PatchTestAsync(id, json);

        Assert.True(response.Status == 400, response.ToString());
        Assert.Equal(field, response.Json.GetProperty("field").GetString());
        Assert.Equal(before, (await Api.GetTestAsync(id)).Text);
    }

    [Fact]
    public async Task A_new_artifact_version_is_used_by_later_runs_and_earlier_runs_keep_theirs()
    {
        var id = await Api.UploadOkAsync(Script, "go");
        var first = await Api.RunNowOkAsync(id);

        var upload = await Api.UploadVersionAsync(id.ToString(), "#!/bin/sh\necho v2\n"u8.ToArray());
        Assert.Equal(201, upload.Status);
        Assert.Equal(2, upload.Json.GetProperty("artifactVersion").GetInt32());
        var second = await Api.RunNowOkAsync(id);

        Assert.Equal(1, (await Api.GetRunAsync(first.ToString())).Json.GetProperty("artifactVersion").GetInt32());
        Assert.Equal(2, (await Api.GetRunAsync(second.ToString())).Json.GetProperty("artifactVersion").GetInt32());
        Assert.Equal(2, (await Api.GetTestAsync(id.ToString())).Json.GetProperty("artifactVersion").GetInt32());

        var empty = await Api.UploadVersionAsync(id.ToString(), []);
        Assert.Equal(400, empty.Status);
        Assert.Equal(2, await Fixture.ScalarAsync("SELECT count(*) FROM test_artifacts WHERE test_id = @t", ("t", id)));
    }

    [Fact]
    public async Task Delete_cancels_queued_runs_removes_artifacts_and_keeps_history()
    {
        var id = await Api.UploadOkAsync(Script, "go");
        var queued = await Api.RunNowOkAsync(id);
        var blobs = await Fixture.ArtifactBlobNamesAsync();
        Assert.Contains($"{id:D}/v1/artifact", blobs);

        var deleted = await Api.DeleteTestAsync(id.ToString());

        Assert.Equal(204, deleted.Status);
        Assert.Equal(404, (await Api.GetTestAsync(id.ToString())).Status);
        Assert.Equal(404, (await Api.RunNowAsync(id.ToString())).Status);
        Assert.Equal(404, (await Api.DeleteTestAsync(id.ToString())).Status);
        Assert.DoesNotContain($"{id:D}/v1/artifact", await Fixture.ArtifactBlobNamesAsync());
        var run = (await Api.GetRunAsync(queued.ToString())).Json;
        Assert.Equal("cancelled", run.GetProperty("status").GetString());
        Assert.DoesNotContain((await Api.ListTestsAsync()).Json.EnumerateArray(), t => t.GetProperty("test").GetProperty("id").GetGuid() == id);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("12345678-1234-1234-1234-12345678901Z")]
    public async Task Malformed_ids_are_400_on_every_test_endpoint(string id)
    {
        foreach (var response in new[]
        {
            await Api.GetTestAsync(id), await Api.PatchTestAsync(id, "{}"), await Api.DeleteTestAsync(id),
            await Api.UploadVersionAsync(id, Script), await Api.HistoryAsync(id), await Api.StatsAsync(id),
        })
        {
            Assert.True(response.Status == 400, response.ToString());
            Assert.Equal("application/problem+json; charset=utf-8", response.ContentType);
        }
    }

    [Fact]
    public async Task Unknown_ids_are_404_on_every_test_endpoint()
    {
        var id = Guid.NewGuid().ToString();
        foreach (var response in new[]
        {
            await Api.GetTestAsync(id), await Api.PatchTestAsync(id, "{}"), await Api.DeleteTestAsync(id),
            await Api.UploadVersionAsync(id, Script), await Api.HistoryAsync(id), await Api.StatsAsync(id),
        })
        {
            Assert.True(response.Status == 404, response.ToString());
        }

        Assert.DoesNotContain(await Fixture.ArtifactBlobNamesAsync(), b => b.StartsWith(id, StringComparison.Ordinal));
    }
}
