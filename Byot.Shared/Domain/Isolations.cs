namespace Byot.Shared.Domain;

/// <summary>The isolation a test may ask for, and the names a run records. A test can only ask for more than a
/// Runner's floor, never less, so <c>gvisor</c> is the one request there is; no request means the Runner's floor.</summary>
public static class Isolations
{
    public const string Runc = "runc";
    public const string Gvisor = "gvisor";

    /// <summary>What the upload field and PATCH accept; <c>default</c> clears a request.</summary>
    public const string Default = "default";

    public static IReadOnlyList<string> Requests { get; } = [Default, Gvisor];
}
