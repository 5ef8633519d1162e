namespace Byot.Shared.Domain;

public static class Severities
{
    public static readonly IReadOnlyList<string> Allowed = ["P0", "P1", "P2", "P3"];

    public static bool TryParse(string? value, out Severity severity)
    {
        severity = Severity.P2;
        var trimmed = value?.Trim();
        return trimmed is not null
            && Allowed.Contains(trimmed, StringComparer.Ordinal)
            && Enum.TryParse(trimmed, ignoreCase: false, out severity);
    }
}
