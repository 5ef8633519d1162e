using Byot.Shared.Domain;
using Byot.Shared.Storage;
using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Catalog;

/// <summary>Refuses, inside the transaction that writes a test's dependencies or tags, what would make the graph
/// wrong: an id of no test, a test depending on itself, and any cycle, also one made through tags (a tag change can
/// make another test's <c>tag:</c> dependency select a test that depends on it). The caller's unit then rolls back,
/// so nothing is half-written.</summary>
public static class DependencyCheck
{
    /// <summary>A test just inserted (either upload path): its ids exist and its dependencies close no cycle. (Its
    /// tags alone cannot: a new test that depends on nothing is on no cycle, whatever selects it.)</summary>
    public static async Task CheckNewTestAsync(UnitOfWork unit, TestDefinition test, string field, CancellationToken cancellationToken)
    {
        if (test.DependsOn.Count > 0)
        {
            await CheckTargetsAsync(unit, test.Id, test.DependsOn, field, cancellationToken);
            await CheckAcyclicAsync(unit, test.Id, field, cancellationToken);
        }
    }

    /// <summary>Checks the ids of <paramref name="selectors"/> (just written for <paramref name="testId"/>) exist
    /// and are not the test itself.</summary>
    public static async Task CheckTargetsAsync(UnitOfWork unit, Guid testId, IReadOnlyList<string> selectors, string field, CancellationToken cancellationToken)
    {
        var ids = selectors.Select(s => DependsOn.IsTest(s, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).ToList();
        if (ids.Contains(testId))
        {
            throw P.InvalidField(field, $"A test cannot depend on itself ({testId}); remove its own id from '{field}'.");
        }

        var existing = await DependencyStore.ExistingAsync(unit, ids, cancellationToken);
        if (ids.FirstOrDefault(id => !existing.Contains(id)) is var unknown && unknown != Guid.Empty)
        {
            throw P.InvalidField(field, $"No test with id {unknown} exists, so no test can depend on it. List the tests (GET /tests) for the right id, or depend on a tag (\"tag:service:auth\").");
        }
    }

    /// <summary>After <paramref name="testId"/>'s dependencies or tags changed: 400 naming the cycle, by test names,
    /// if the graph now has one.</summary>
    public static async Task CheckAcyclicAsync(UnitOfWork unit, Guid testId, string field, CancellationToken cancellationToken)
    {
        await DependencyStore.LockGraphAsync(unit, cancellationToken);
        if (DependencyGraph.FindCycle(await DependencyStore.ReadGraphAsync(unit, cancellationToken), testId) is not { } cycle)
        {
            return;
        }

        var tags = string.Join("; ", cycle.ThroughTags);
        throw P.InvalidField(field,
            $"This would make a dependency cycle: {cycle.Path}{(tags.Length > 0 ? $" ({tags})" : "")}. A test cannot depend, directly or through tags, on a test that depends on it; remove one of these dependencies or tags.");
    }
}
