using System.Text.Json;
using Byot.Shared.Storage;
using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Maintenance;

/// <summary>Creates, lists, changes and deletes maintenance windows. A window is validated whole (a PATCH is merged
/// onto it first), so a stored window is always one the calendar can read.</summary>
public sealed class MaintenanceService(MaintenanceStore store, TimeProvider time)
{
    public async Task<MaintenanceView> CreateAsync(JsonElement body, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var window = MaintenanceRequestParser.Parse(body, Guid.NewGuid(), now, now);
        await CheckTestsAsync(window, cancellationToken);
        await store.SaveAsync(window, insert: true, cancellationToken);
        return MaintenanceView.At(window, now);
    }

    public async Task<IReadOnlyList<MaintenanceView>> ListAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return [.. (await store.ListAsync(cancellationToken)).Select(w => MaintenanceView.At(w, now))];
    }

    /// <summary>Windows in force now or starting within <paramref name="ahead"/>, soonest first.</summary>
    public async Task<IReadOnlyList<MaintenanceView>> OngoingAndUpcomingAsync(TimeSpan ahead, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return [.. (await ListAsync(cancellationToken))
            .Where(v => v.Current is not null || (v.Next is { } next && next.Start < now + ahead))
            .OrderBy(v => v.Current?.Start ?? v.Next!.Start)];
    }

    public async Task<MaintenanceView> GetAsync(Guid id, CancellationToken cancellationToken) =>
        MaintenanceView.At(await store.FindAsync(id, cancellationToken) ?? throw P.NotFound("maintenance window", id), time.GetUtcNow());

    public async Task<MaintenanceView> UpdateAsync(Guid id, JsonElement patch, CancellationToken cancellationToken)
    {
        var current = await store.FindAsync(id, cancellationToken) ?? throw P.NotFound("maintenance window", id);
        var now = time.GetUtcNow();
        var window = MaintenanceRequestParser.Parse(MaintenanceRequestParser.Merge(current, patch), id, current.CreatedAt, now);
        await CheckTestsAsync(window, cancellationToken);
        if (!await store.SaveAsync(window, insert: false, cancellationToken))
        {
            throw P.NotFound("maintenance window", id);
        }

        return MaintenanceView.At(window, now);
    }

    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await store.DeleteAsync(id, cancellationToken))
        {
            throw P.NotFound("maintenance window", id);
        }
    }

    private async Task CheckTestsAsync(MaintenanceWindow window, CancellationToken cancellationToken)
    {
        if (window.Tests.Count > 0 && await store.UnknownTestsAsync(window.Tests, cancellationToken) is [var unknown, ..])
        {
            throw P.InvalidField("tests", $"No test with id {unknown} exists; GET /tests lists them.");
        }
    }
}
