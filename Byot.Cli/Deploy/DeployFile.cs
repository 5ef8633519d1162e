namespace Byot.Cli.Deploy;

/// <summary>The root of <c>byot.yaml</c>.</summary>
public sealed class DeployFile
{
    public List<DeployTest> Tests { get; init; } = [];

    /// <summary>Maintenance windows, applied after the tests (they may name tests the file creates).</summary>
    public List<DeployWindow> Maintenance { get; init; } = [];
}
