namespace Byot.Shared.Domain;

/// <summary>What a tag is: <c>team:payments</c>, <c>service:checkout</c>, <c>eu</c>. Lowercase letters, digits and
/// <c>. _ - : /</c>, starting with a letter or digit, so a tag reads the same in a URL, a YAML file and a filter.</summary>
public static class Tags
{
    public const int MaxLength = 64;
    public const int MaxPerTest = 20;

    public const string Rule = "a tag is 1-64 lowercase letters, digits and . _ - : / starting with a letter or digit, such as \"team:payments\"";

    public static bool IsValid(string tag) =>
        tag.Length is >= 1 and <= MaxLength
        && IsLetterOrDigit(tag[0])
        && tag.All(c => IsLetterOrDigit(c) || c is '.' or '_' or '-' or ':' or '/');

    private static bool IsLetterOrDigit(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');
}
