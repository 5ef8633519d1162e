namespace Byot.Cli.Deploy;

/// <summary>One line of a deploy plan about a maintenance window: what happens to it and why.</summary>
internal sealed class WindowPlanItem
{
    public required string Action { get; init; }

    public required string Name { get; init; }

    public string? Id { get; init; }

    public IReadOnlyList<string> Changes { get; init; } = [];

    public DeployWindow? Spec { get; init; }
}
