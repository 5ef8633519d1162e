using System.Text.Json;
using Byot.Shared.Artifacts;
using Byot.Shared.Options;
using Byot.Shared.Scheduling;
using Byot.Shared.Storage;
using Microsoft.Extensions.Options;
using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Catalog;

/// <summary>Reads, lists, changes and deletes test definitions.</summary>
public sealed class TestService(
    TestStore tests,
    TagStore tags,
    DependencyStore dependencies,
    ScheduleStore schedules,
    UnitOfWorkFactory units,
    ArtifactStore artifacts,
    TimeProvider time,
    IOptions<SchedulingOptions> scheduling,
    IOptions<UploadOptions> uploads,
    IOptions<LocationOptions> locations)
{
    public const int MaxListed = 1_000;

    /// <summary>Every test, or with <paramref name="withTags"/> those carrying all of them.</summary>
    public async Task<IReadOnlyList<TestSummary>> ListAsync(IReadOnlyList<string> withTags, CancellationToken cancellationToken)
    {
        var only = withTags.Count > 0 ? await tags.TestsWithAllAsync(withTags, cancellationToken) : null;
        var rows = await tests.ListAsync(MaxListed, cancellationToken, only);
        var tagged = await tags.ForTestsAsync([.. rows.Select(r => r.Test.Id)], cancellationToken);
        var depending = await dependencies.ForTestsAsync([.. rows.Select(r => r.Test.Id)], cancellationToken);
        return [.. rows.Select(r => new TestSummary(
            TestView.From(r.Test, r.Schedule) with
            {
                Tags = tagged.GetValueOrDefault(r.Test.Id) ?? [],
                DependsOn = depending.GetValueOrDefault(r.Test.Id) ?? [],
            },
            r.LastRun, State(r.Test, r.LastRun)))];
    }

    /// <summary>Deletes the test: queued runs are cancelled, the schedule, secrets and artifact blobs removed;
    /// run history stays readable by run id.</summary>
    public async Task DeleteAsync(Guid testId, CancellationToken cancellationToken)
    {
        var blobs = await tests.DeleteAsync(testId, cancellationToken) ?? throw P.NotFound("test", testId);
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

    public async Task<TestView> GetAsync(Guid testId, CancellationToken cancellationToken)
    {
        var test = await tests.FindAsync(testId, cancellationToken) ?? throw P.NotFound("test", testId);
        var schedule = await schedules.FindAsync(testId, cancellationToken);
        var sha256 = await tests.FindArtifactSha256Async(testId, test.ArtifactVersion, cancellationToken);
        var tagged = await tags.ForTestsAsync([testId], cancellationToken);
        var depending = await dependencies.ForTestsAsync([testId], cancellationToken);
        return TestView.From(test, schedule is { } s ? new ScheduleView(s.Expression, s.TimeZone, s.NextRunAt) : null) with
        {
            ArtifactSha256 = sha256,
            Tags = tagged.GetValueOrDefault(testId) ?? [],
            DependsOn = depending.GetValueOrDefault(testId) ?? [],
        };
    }

    /// <summary>Applies a JSON merge patch of definition fields, <c>schedule</c> (string, or null to stop
    /// scheduling), <c>timezone</c> and <c>enabled</c>. Everything is validated before anything changes.</summary>
    public async Task<TestView> UpdateAsync(Guid testId, JsonElement patch, CancellationToken cancellationToken)
    {
        if (patch.ValueKind != JsonValueKind.Object)
        {
            throw P.BadRequest("Malformed update", "Send a JSON object such as {\"schedule\": \"5m\", \"enabled\": true}.");
        }

        var changes = TestPatchParser.Parse(patch, uploads.Value, locations.Value.All);
        var test = await tests.FindAsync(testId, cancellationToken) ?? throw P.NotFound("test", testId);
        var current = await schedules.FindAsync(testId, cancellationToken);

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
            newSchedule = ScheduleParser.Parse(expression, zone, scheduling.Value.MinIntervalSeconds, time.GetUtcNow());
        }

        if (newSchedule is null && !removeSchedule && enabled == true && !test.Enabled && current is { } existing)
        {
            // Slots that passed while the test was disabled were never due; resume from the next one.
            newSchedule = ScheduleParser.Parse(existing.Expression, existing.TimeZone, minIntervalSeconds: 1, time.GetUtcNow());
        }

        // One transaction: a PATCH that fails half-way (the database going away, a constraint) changes nothing.
        await using (var unit = await units.BeginAsync(cancellationToken))
        {
            if (!changes.IsEmpty)
            {
                await tests.UpdateAsync(unit, testId, changes, cancellationToken);
            }

            if (changes.Tags is { } newTags)
            {
                await TagStore.ReplaceAsync(unit, testId, newTags, cancellationToken);
            }

            if (changes.DependsOn is { } newDependsOn)
            {
                await DependencyStore.ReplaceAsync(unit, testId, newDependsOn, cancellationToken);
                await DependencyCheck.CheckTargetsAsync(unit, testId, newDependsOn, DependsOnParser.Field, cancellationToken);
            }

            if (changes.DependsOn is not null || changes.Tags is not null)
            {
                // A tag change can close a cycle too: another test's tag: dependency may now select this one.
                await DependencyCheck.CheckAcyclicAsync(unit, testId, changes.DependsOn is not null ? DependsOnParser.Field : TagParser.Field, cancellationToken);
            }

            if (removeSchedule)
            {
                await schedules.RemoveAsync(unit, testId, cancellationToken);
            }
            else if (newSchedule is not null)
            {
                await schedules.UpsertAsync(unit, testId, newSchedule, newSchedule.NextAfter(time.GetUtcNow()), cancellationToken);
            }

            if (removeSchedule || newSchedule is not null)
            {
                await schedules.OnScheduleChangedAsync(unit, testId, newSchedule, cancellationToken);
            }

            if (enabled is { } value && value != test.Enabled)
            {
                await tests.SetEnabledAsync(unit, testId, value, cancellationToken);
            }

            await unit.CommitAsync(cancellationToken);
        }

        return await GetAsync(testId, cancellationToken);
    }
}
