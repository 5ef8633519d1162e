namespace Byot.Runner.Containers;

/// <summary>Labels on every container and volume BYOT creates, so a runner can find (and clean) its own.</summary>
internal static class ContainerLabels
{
    public const string Managed = "byot.managed";
    public const string Runner = "byot.runner";
    public const string Run = "byot.run";
    public const string Test = "byot.test";
    public const string Attempt = "byot.attempt";
}
