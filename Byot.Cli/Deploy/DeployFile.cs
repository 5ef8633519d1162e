namespace Byot.Cli.Deploy;

/// <summary>The root of <c>byot.yaml</c>.</summary>
public sealed class DeployFile
{
    public List<DeployTest> Tests { get; init; } = [];
}
