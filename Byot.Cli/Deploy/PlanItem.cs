using System.Text.Json.Nodes;
using Byot.Cli.Bundling;

namespace Byot.Cli.Deploy;

/// <summary>One line of a deploy plan: what happens to one test and why.</summary>
internal sealed class PlanItem
{
    public required string Action { get; init; }

    public required string Name { get; init; }

    public string? Id { get; init; }

    public IReadOnlyList<string> Changes { get; init; } = [];

    public DeployTest? Spec { get; init; }

    public Bundle? Bundle { get; init; }

    /// <summary>The JSON merge patch for an update (empty when only the artifact changes).</summary>
    public JsonObject Patch { get; init; } = [];

    public bool Upload { get; init; }

    /// <summary>The dependencies to set once every test of the file exists (names, ids, tag selectors, as in the file);
    /// null when they stay as they are.</summary>
    public IReadOnlyList<string>? DependsOn { get; init; }
}
