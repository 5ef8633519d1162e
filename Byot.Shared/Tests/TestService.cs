using System.Text.Json;
using Byot.Shared.Artifacts;
using Byot.Shared.Options;
using Byot.Shared.Runs;
using Byot.Shared.Scheduling;
using Byot.Shared.Storage;
using Microsoft.Extensions.Options;
using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Tests;

/// <summary>Reads, lists, changes and deletes test definitions.</summary>
public sealed class TestService(
    TestStore tests,
    TestCatalog catalog,
    ScheduleStore schedules,
    ArtifactStore artifacts,
    IOptions<SchedulingOptions> scheduling,
    IOptions<UploadOptions> uploads,
    IOptions<LocationOptions> locations)
{
    public const int MaxListed = 1_000;

    public async Task<IReadOnlyList<TestSummary>> ListAsync(CancellationToken cancellationToken)
    {
        var rows = await catalog.ListAsync(MaxListed, cancellationToken);
        return [.. rows.Select(r => new TestSummary(TestView.From(r.Test, r.Schedule), r.LastRun, State(r.Test, r.LastRun)))];
    }

    /// <summary>Deletes the test: queued runs are cancelled, the schedule, secrets and artifact blobs removed;
    /// run history stays readable by run id.</summary>
    public async Task DeleteAsync(string? testIdRaw, CancellationToken cancellationToken)
    {
        var id = Ids.Parse("test", testIdRaw);
        var blobs = await catalog.DeleteAsync(id, cancellationToken) ?? throw P.NotFound("test", id);
        foreach (var blob in blobs)
        {
            await artifacts.DeleteAsync(blob, cancellationToken);
        }
    }

    private static string State(Domain.TestDefinition test, LastRunView? last) =>
        !test.Enabled ? "disabled"
        : last is null ? "never_run"
        : last.Status == "passed" ? "passing"
        : last.Status == "infra_error" ? "unknown"
        : "failing";

    public async Task<TestView> GetAsync(string? testIdRaw, CancellationToken cancellationToken)
    {
        var id = Ids.Parse("test", testIdRaw);
        var test = await tests.FindAsync(id, cancellationToken) ?? throw P.NotFound("test", id);
        var schedule = await schedules.FindAsync(id, cancellationToken);
        var sha256 = await tests.FindArtifactSha256Async(id, test.ArtifactVersion, cancellationToken);
        return TestView.From(test, schedule is { } s ? new ScheduleView(s.Expression, s.TimeZone, s.NextRunAt) : null) with { ArtifactSha256 = sha256 };
    }

    /// <summary>Applies a JSON merge patch of definition fields, <c>schedule</c> (string, or null to stop
    /// scheduling), <c>timezone</c> and <c>enabled</c>. Everything is validated before anything changes.</summary>
    public async Task<TestView> UpdateAsync(string? testIdRaw, JsonElement patch, CancellationToken cancellationToken)
    {
        var id = Ids.Parse("test", testIdRaw);
        if (patch.ValueKind != JsonValueKind.Object)
        {
            throw P.BadRequest("Malformed update", "Send a JSON object such as {\"schedule\": \"5m\", \"enabled\": true}.");
        }

        var changes = TestPatchParser.Parse(patch, uploads.Value, locations.Value.All);
        var test = await tests.FindAsync(id, cancellationToken) ?? throw P.NotFound("test", id);
        var current = await schedules.FindAsync(id, cancellationToken);

        bool? enabled = null;
        if (patch.TryGetProperty("enabled", out var enabledValue))
        {
            enabled = enabledValue.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw P.InvalidField("enabled", "'enabled' must be true or false.", ["true", "false"]),
            };
        }

        var hasSchedule = patch.TryGetProperty("schedule", out var scheduleValue);
        var hasZone = patch.TryGetProperty("timezone", out var zoneValue);
        string? zone = hasZone ? zoneValue.ValueKind switch
        {
            JsonValueKind.String => zoneValue.GetString(),
            JsonValueKind.Null => null,
            _ => throw P.InvalidField("timezone", "'timezone' must be a string such as \"Europe/Berlin\"."),
        } : current?.TimeZone;

        Schedule? newSchedule = null;
        var removeSchedule = false;
        if (hasSchedule && scheduleValue.ValueKind == JsonValueKind.Null)
        {
            removeSchedule = true;
        }
        else if (hasSchedule || hasZone)
        {
            var expression = hasSchedule
                ? scheduleValue.ValueKind == JsonValueKind.String ? scheduleValue.GetString()! : throw P.InvalidField("schedule", "'schedule' must be a string such as \"5m\" or \"*/5 * * * *\", or null to stop scheduling.")
                : current?.Expression ?? throw P.InvalidField("timezone", "The test has no schedule; set 'schedule' together with 'timezone'.");
            newSchedule = ScheduleParser.Parse(expression, zone, scheduling.Value.MinIntervalSeconds);
        }

        if (newSchedule is null && !removeSchedule && enabled == true && !test.Enabled && current is { } existing)
        {
            // Slots that passed while the test was disabled were never due; resume from the next one.
            newSchedule = ScheduleParser.Parse(existing.Expression, existing.TimeZone, minIntervalSeconds: 1);
        }

        if (!changes.IsEmpty)
        {
            await catalog.UpdateAsync(id, changes, cancellationToken);
        }

        if (removeSchedule)
        {
            await schedules.RemoveAsync(id, cancellationToken);
        }
        else if (newSchedule is not null)
        {
            await using var connection = await schedules.DataSource.OpenConnectionAsync(cancellationToken);
            await ScheduleStore.UpsertAsync(connection, null, id, newSchedule, newSchedule.NextAfter(DateTimeOffset.UtcNow), cancellationToken);
        }

        if (removeSchedule || newSchedule is not null)
        {
            await schedules.OnScheduleChangedAsync(id, newSchedule, cancellationToken);
        }

        if (enabled is { } value && value != test.Enabled)
        {
            await tests.SetEnabledAsync(id, value, cancellationToken);
        }

        return await GetAsync(testIdRaw, cancellationToken);
    }
}
