using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Api;

/// <summary><c>PATCH /tests/{id}</c> writes the definition, the schedule, the slots it cancels and the enabled flag
/// in one transaction: a PATCH that fails at any of those writes leaves the test exactly as it was. The failure is
/// real: a trigger in this class's own database refuses the write, as a constraint or a lost connection would.</summary>
public sealed class TestPatchAtomicityTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private const string Patch = """{"name": "renamed", "severity": "P0", "timeoutSeconds": 90, "schedule": "5m", "enabled": false}""";
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
    public async Task A_patch_failing_at_its_schedule_write_changes_nothing() =>
        await AssertNothingChangesAsync("BEFORE INSERT OR UPDATE ON schedules FOR EACH ROW");

    [Fact]
    public async Task A_patch_failing_at_its_last_write_changes_nothing() =>
        await AssertNothingChangesAsync("BEFORE UPDATE ON tests FOR EACH ROW WHEN (OLD.enabled IS DISTINCT FROM NEW.enabled)");

    private async Task AssertNothingChangesAsync(string refusedWrite)
    {
        var id = await api.UploadOkAsync("#!/bin/sh\necho hi\n"u8.ToArray(), "go", severity: "P2");
        var before = (await api.GetTestAsync(id.ToString())).Json.ToString();

        await ExecuteAsync($"""
            CREATE OR REPLACE FUNCTION refuse_write() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'write refused by the test'; END $$;
            CREATE TRIGGER refuse_write {refusedWrite} EXECUTE FUNCTION refuse_write();
            """);
        TestResponse patched;
        try
        {
            patched = await api.PatchTestAsync(id.ToString(), Patch);
        }
        finally
        {
            await ExecuteAsync("DROP TRIGGER IF EXISTS refuse_write ON schedules; DROP TRIGGER IF EXISTS refuse_write ON tests;");
        }

        Assert.Equal(500, patched.Status);
        Assert.Equal(before, (await api.GetTestAsync(id.ToString())).Json.ToString());
        Assert.Equal(0, await environment.ScalarAsync("SELECT count(*) FROM schedules WHERE test_id = @t", ("t", id)));

        // The same PATCH, unrefused, does change all of it: the assertions above are not vacuous.
        Assert.Equal(200, (await api.PatchTestAsync(id.ToString(), Patch)).Status);
        var after = (await api.GetTestAsync(id.ToString())).Json;
        Assert.Equal("renamed", after.GetProperty("name").GetString());
        Assert.False(after.GetProperty("enabled").GetBoolean());
        Assert.Equal(1, await environment.ScalarAsync("SELECT count(*) FROM schedules WHERE test_id = @t", ("t", id)));
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = environment.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
