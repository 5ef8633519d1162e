using System.Text.Json;
using Byot.Shared.Runs;
using Byot.Tests.Infrastructure;
using Xunit;
using S = Byot.Tests.Infrastructure.Scheduling;

namespace Byot.Tests.Api;

/// <summary>A scheduled run shows the slot it is for and how late its container started after it, in the run view and
/// in the history; a manual run has neither. The OpenAPI Run schema lists exactly the fields the API writes.</summary>
public sealed class RunSlotViewTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private RunnerKit kit = null!;

    public async Task InitializeAsync() => kit = await RunnerKit.StartAsync(environment);

    public async Task DisposeAsync() => await kit.DisposeAsync();

    [Fact]
    public async Task A_scheduled_run_carries_its_slot_and_start_lateness_in_the_view_and_the_history()
    {
        var testId = await kit.UploadAsync(RunnerKit.Shell("echo slot"), "go", "slot.sh", ("schedule", "10s"));
        var slot = (await kit.Api.GetTestAsync(testId.ToString())).Json.GetProperty("schedule").GetProperty("nextRunAt").GetDateTimeOffset();
        Assert.Equal(1, (await S.NewScheduler(kit.Client).TickAsync(slot.AddSeconds(-1), CancellationToken.None)).RunsEnqueued);

        var runId = Guid.Parse((string)(await environment.DataSource.CreateCommand(
            $"SELECT id::text FROM runs WHERE test_id = '{testId}'").ExecuteScalarAsync())!);
        var run = await kit.Api.WaitForFinalAsync(runId, TimeSpan.FromSeconds(60));

        Assert.Equal("passed", run.GetProperty("status").GetString());
        Assert.Equal(slot, run.GetProperty("scheduledFor").GetDateTimeOffset());
        var started = run.GetProperty("startedAt").GetDateTimeOffset();
        Assert.Equal((long)Math.Round((started - slot).TotalMilliseconds), run.GetProperty("startLatenessMs").GetInt64());
        Assert.True(run.GetProperty("startLatenessMs").GetInt64() >= 0, run.ToString());

        var listed = (await kit.Api.HistoryAsync(testId.ToString())).Json.GetProperty("runs")[0];
        Assert.Equal(run.GetProperty("scheduledFor").GetRawText(), listed.GetProperty("scheduledFor").GetRawText());
        Assert.Equal(run.GetProperty("startLatenessMs").GetInt64(), listed.GetProperty("startLatenessMs").GetInt64());
    }

    [Fact]
    public async Task A_manual_run_has_no_slot_and_no_lateness()
    {
        var (_, run) = await kit.RunAsync(RunnerKit.Shell("echo manual"));

        Assert.Equal("passed", run.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, run.GetProperty("scheduledFor").ValueKind);
        Assert.Equal(JsonValueKind.Null, run.GetProperty("startLatenessMs").ValueKind);
        Assert.True(run.GetProperty("durationMs").GetInt64() >= 0);
    }

    [Fact]
    public void OpenApi_Run_schema_has_exactly_the_fields_of_the_run_view()
    {
        using var openApi = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "Byot.Functions", "Http", "openapi.json")));
        var documented = openApi.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("Run").GetProperty("properties")
            .EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        var written = typeof(RunView).GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).Order(StringComparer.Ordinal);

        Assert.Equal(written, documented);
    }
}
