namespace Byot.Shared.Domain;

/// <summary>How the wait between a test's attempts grows: <c>fixed</c> waits the delay each time, <c>linear</c> the
/// delay times the retry's number, <c>exponential</c> doubles it each retry.</summary>
public static class RetryBackoffs
{
    public const string Fixed = "fixed";
    public const string Linear = "linear";
    public const string Exponential = "exponential";

    public static IReadOnlyList<string> Allowed { get; } = [Fixed, Linear, Exponential];

    public static bool IsKnown(string value) => Allowed.Contains(value, StringComparer.Ordinal);
}
