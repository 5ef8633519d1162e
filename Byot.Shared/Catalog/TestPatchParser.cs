using System.Text.Json;
using Byot.Shared.Domain;
using Byot.Shared.Locations;
using Byot.Shared.Options;
using Byot.Shared.Uploads;
using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Catalog;

/// <summary>Reads the definition fields of a JSON merge patch with the same limits as an upload.</summary>
internal static class TestPatchParser
{
    public static readonly string[] Fields =
        ["name", "severity", "command", "timeoutSeconds", "failureThreshold", "memoryMb", "cpus", "networkEnabled", "isolation", "locations", "failingLocations", "retries", "retryDelaySeconds", "retryBackoff", "schedule", "timezone", "enabled", TagParser.Field, DependsOnParser.Field];

    public static TestChanges Parse(JsonElement patch, UploadOptions limits, IReadOnlyList<string> knownLocations)
    {
        foreach (var property in patch.EnumerateObject())
        {
            if (!Fields.Contains(property.Name, StringComparer.Ordinal))
            {
                throw P.InvalidField(property.Name, $"'{property.Name}' cannot be changed here; fields: {string.Join(", ", Fields)}.", Fields);
            }
        }

        string? name = null;
        if (patch.TryGetProperty("name", out var n))
        {
            name = n.ValueKind == JsonValueKind.String ? ControlCharacters.Strip(n.GetString()!).Trim() : throw P.InvalidField("name", "'name' must be a string.");
            if (name.Length is 0 or > UploadFieldParser.MaxNameLength || name.Contains('\0', StringComparison.Ordinal))
            {
                throw P.InvalidField("name", $"'name' must be 1 to {UploadFieldParser.MaxNameLength} characters.");
            }
        }

        Severity? severity = null;
        if (patch.TryGetProperty("severity", out var s))
        {
            severity = s.ValueKind == JsonValueKind.String && Severities.TryParse(s.GetString(), out var parsed)
                ? parsed
                : throw P.InvalidField("severity", "'severity' must be one of P0, P1, P2, P3.", Severities.Allowed);
        }

        IReadOnlyList<string>? command = null;
        var clear = false;
        if (patch.TryGetProperty("command", out var c))
        {
            switch (c.ValueKind)
            {
                case JsonValueKind.Null:
                    clear = true;
                    break;
                case JsonValueKind.String:
                    command = CommandLine.Parse(c.GetString()!, out var error);
                    if (error is not null)
                    {
                        throw P.InvalidField("command", $"'command' {error}.");
                    }

                    clear = command is null;
                    break;
                case JsonValueKind.Array when c.EnumerateArray().All(i => i.ValueKind == JsonValueKind.String) && c.GetArrayLength() > 0:
                    command = [.. c.EnumerateArray().Select(i => i.GetString()!)];
                    break;
                default:
                    throw P.InvalidField("command", "'command' must be a command line, an array of strings, or null for the runtime's default.");
            }

            if (command is not null && CommandPlaceholders.Check(command) is { } unknown)
            {
                throw P.InvalidField("command", unknown, CommandPlaceholders.Allowed);
            }
        }

        return new TestChanges(
            name, severity, command, clear,
            Int(patch, "timeoutSeconds", 1, limits.MaxTimeoutSeconds),
            Int(patch, "failureThreshold", 1, 1_000),
            Int(patch, "memoryMb", 6, limits.MaxMemoryMb),
            Cpus(patch, limits.MaxCpus),
            Bool(patch, "networkEnabled"),
            Isolation(patch),
            patch.TryGetProperty(TagParser.Field, out var tags) ? TagParser.ParseJson(tags) : null,
            Locations(patch, knownLocations),
            Int(patch, "failingLocations", 1, LocationNames.MaxPerTest),
            Int(patch, "retries", 0, RetryPolicy.MaxRetries),
            Int(patch, "retryDelaySeconds", 0, RetryPolicy.MaxDelaySeconds),
            Backoff(patch),
            patch.TryGetProperty(DependsOnParser.Field, out var dependsOn) ? DependsOnParser.ParseJson(dependsOn) : null);
    }

    private static int? Int(JsonElement patch, string field, int min, int max)
    {
        if (!patch.TryGetProperty(field, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i) && i >= min && i <= max
            ? i
            : throw P.InvalidField(field, $"'{field}' must be a whole number from {min} to {max}.");
    }

    private static string? Backoff(JsonElement patch)
    {
        if (!patch.TryGetProperty("retryBackoff", out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? UploadFieldParser.ParseBackoff(value.GetString()!, "retryBackoff")
            : throw P.InvalidField("retryBackoff", "'retryBackoff' must be one of fixed, linear, exponential.", RetryBackoffs.Allowed);
    }

    private static IReadOnlyList<string>? Locations(JsonElement patch, IReadOnlyList<string> known)
    {
        if (!patch.TryGetProperty("locations", out var value))
        {
            return null;
        }

        return LocationList.ParseJson(value, "locations", known);
    }

    private static string? Isolation(JsonElement patch)
    {
        if (!patch.TryGetProperty("isolation", out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Null ? Isolations.Default
            : value.ValueKind == JsonValueKind.String && UploadFieldParser.ParseIsolation(value.GetString()) is var parsed
                ? parsed ?? Isolations.Default
                : throw P.InvalidField("isolation", "'isolation' must be a string.", Isolations.Requests);
    }

    private static double? Cpus(JsonElement patch, double max)
    {
        if (!patch.TryGetProperty("cpus", out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.GetDouble() >= 0.01 && value.GetDouble() <= max
            ? value.GetDouble()
            : throw P.InvalidField("cpus", $"'cpus' must be a number from 0.01 to {max} (Byot:Upload:MaxCpus).");
    }

    private static bool? Bool(JsonElement patch, string field)
    {
        if (!patch.TryGetProperty(field, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw P.InvalidField(field, $"'{field}' must be true or false.", ["true", "false"]),
        };
    }
}
