namespace Byot.Shared.Domain;

/// <summary>Names a test's runtime; the runner maps each name to an image and a default command in configuration.
/// <see cref="Image"/> is the exception: the test names its own image.</summary>
public static class Runtimes
{
    public const string Go = "go";
    public const string Binary = "binary";
    public const string Node = "node";
    public const string Python = "python";
    public const string Ruby = "ruby";
    public const string Deno = "deno";
    public const string K6 = "k6";
    public const string Playwright = "playwright";
    public const string Shell = "shell";
    public const string Image = "image";

    public static readonly IReadOnlyList<string> Allowed = [Go, Binary, Node, Python, Ruby, Deno, K6, Playwright, Shell, Image];

    public static bool IsKnown(string? value) => value is not null && Allowed.Contains(value, StringComparer.Ordinal);
}
