using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Runs;

/// <summary>Parses ids from URLs; a malformed id is the client's error (400), not an unknown one (404).</summary>
public static class Ids
{
    public static Guid Parse(string what, string? raw) =>
        Guid.TryParseExact(raw?.Trim(), "D", out var id) ? id : throw P.MalformedId(what, raw ?? "");
}
