namespace Byot.Cli.Deploy;

/// <summary>The plan: one item per test in byot.yaml, plus the server's other tests (deleted only with --prune).</summary>
internal sealed class DeployPlan(IReadOnlyList<PlanItem> items) : IDisposable
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Unchanged = "unchanged";
    public const string Delete = "delete";
    public const string Kept = "kept";

    public IReadOnlyList<PlanItem> Items { get; } = items;

    /// <summary>The maintenance windows' lines, after the tests'.</summary>
    public IReadOnlyList<WindowPlanItem> Windows { get; set; } = [];

    public int Count(string action) => Items.Count(i => i.Action == action);

    public string Summary() =>
        $"Plan: {Count(Create)} to create, {Count(Update)} to update, {Count(Unchanged)} unchanged, {Count(Delete)} to delete" +
        (Count(Kept) > 0 ? $", {Count(Kept)} not in the file (kept; --prune deletes them)." : ".") +
        (Windows.Count == 0 ? "" : $"\nMaintenance windows: {WindowCount(Create)} to create, {WindowCount(Update)} to update, {WindowCount(Unchanged)} unchanged, {WindowCount(Delete)} to delete" +
            (WindowCount(Kept) > 0 ? $", {WindowCount(Kept)} not in the file (kept; --prune deletes them)." : "."));

    private int WindowCount(string action) => Windows.Count(w => w.Action == action);

    public void Dispose()
    {
        foreach (var item in Items)
        {
            item.Bundle?.Dispose();
        }
    }
}
