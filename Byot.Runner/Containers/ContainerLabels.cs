namespace Byot.Runner.Containers;

/// <summary>Labels on every container and volume BYOT creates, so a runner can find (and clean) its own.</summary>
internal static class ContainerLabels
{
    public const string Managed = "byot.managed";
    public const string Runner = "byot.runner";
    public const string Run = "byot.run";
    public const string Test = "byot.test";
    public const string Attempt = "byot.attempt";

    /// <summary>On an image with a baked app: the artifact's sha256 and the runtime image it was baked over.</summary>
    public const string Artifact = "byot.artifact";
    public const string BaseImage = "byot.base-image";
}
