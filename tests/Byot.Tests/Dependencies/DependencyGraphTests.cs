using Byot.Shared.Domain;
using Xunit;

namespace Byot.Tests.Dependencies;

/// <summary>The cycle finder in memory: by ids, through tags, a tag selecting its own test, long chains, and graphs
/// that only look like cycles (diamonds).</summary>
public sealed class DependencyGraphTests
{
    private static readonly Guid A = Guid.Parse("aaaaaaaa-0000-0000-0000-000000000001");
    private static readonly Guid B = Guid.Parse("bbbbbbbb-0000-0000-0000-000000000002");
    private static readonly Guid C = Guid.Parse("cccccccc-0000-0000-0000-000000000003");
    private static readonly Guid D = Guid.Parse("dddddddd-0000-0000-0000-000000000004");

    [Fact]
    public void Two_tests_depending_on_each_other_by_id_are_a_cycle_named_from_the_changed_test()
    {
        var cycle = DependencyGraph.FindCycle([Node(A, "checkout", deps: [Id(B)]), Node(B, "auth", deps: [Id(A)])], B);

        Assert.NotNull(cycle);
        Assert.Equal("auth → checkout → auth", cycle.Path);
        Assert.Empty(cycle.ThroughTags);
    }

    [Fact]
    public void A_cycle_through_a_tag_names_the_tag_step()
    {
        var cycle = DependencyGraph.FindCycle(
            [Node(A, "checkout", deps: ["tag:service:auth"]), Node(B, "auth", tags: ["service:auth"], deps: [Id(C)]), Node(C, "db", deps: [Id(A)])], A);

        Assert.NotNull(cycle);
        Assert.Equal("checkout → auth → db → checkout", cycle.Path);
        Assert.Equal(["checkout depends on tag:service:auth"], cycle.ThroughTags);
    }

    [Fact]
    public void A_tag_selecting_the_test_that_depends_on_it_is_a_cycle_of_one()
    {
        var cycle = DependencyGraph.FindCycle([Node(A, "checkout", tags: ["team:pay"], deps: ["tag:team:pay"])], A);

        Assert.NotNull(cycle);
        Assert.Equal("checkout → checkout", cycle.Path);
    }

    [Fact]
    public void A_diamond_and_a_chain_are_no_cycle_and_unknown_ids_select_nothing()
    {
        Assert.Null(DependencyGraph.FindCycle(
            [
                Node(A, "shop", deps: [Id(B), Id(C)]),
                Node(B, "cart", deps: [Id(D)]),
                Node(C, "search", deps: [Id(D), "tag:nobody"]),
                Node(D, "auth", tags: ["service:auth"], deps: [Id(Guid.NewGuid())]),
            ], A));
    }

    [Fact]
    public void A_long_chain_closed_at_its_end_is_found()
    {
        var ids = Enumerable.Range(0, 500).Select(_ => Guid.NewGuid()).ToList();
        var nodes = ids.Select((id, i) => Node(id, $"t{i}", deps: [Id(ids[(i + 1) % ids.Count])])).ToList();

        var cycle = DependencyGraph.FindCycle(nodes, ids[0]);

        Assert.NotNull(cycle);
        Assert.Equal(501, cycle.Tests.Count);
        Assert.StartsWith("t0 → t1 → ", cycle.Path, StringComparison.Ordinal);
    }

    private static string Id(Guid id) => id.ToString("D");

    private static DependencyNode Node(Guid id, string name, string[]? tags = null, string[]? deps = null) => new(id, name, tags ?? [], deps ?? []);
}
