using System.Security.Cryptography;
using System.Text;

namespace Byot.Shared.Cases;

/// <summary>A case's id in URLs: its stable key (<see cref="CaseKeys"/>) hashed, so a name with slashes, spaces or
/// any script is still one path segment, and the same case has the same id in every run.</summary>
public static class CaseIds
{
    public const int Length = 16;

    public static string For(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..Length];

    public static bool IsWellFormed(string? id) => id is { Length: Length } && id.All(char.IsAsciiHexDigitLower);
}
