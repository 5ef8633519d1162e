namespace Byot.Shared.Domain;

/// <summary>Names a test's runtime; the runner maps each name to an image and a default command in configuration.</summary>
public static class Runtimes
{
    public const string Go = "go";
    public const string Node = "node";

    public static readonly IReadOnlyList<string> Allowed = [Go, Node];

    public static bool IsKnown(string? value) => value is not null && Allowed.Contains(value, StringComparer.Ordinal);
}
