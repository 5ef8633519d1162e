using System.Globalization;
using System.Text.Json;
using Byot.Shared.Domain;
using Byot.Shared.Locations;
using Byot.Shared.Problems;
using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Runs;

/// <summary>The optional body of <c>POST /run/{id}</c>, the original project's call:
/// <c>{"filename": "checkout.js", "runtime": "node", "timeout": 60}</c>. <c>timeout</c> sets this run's timeout;
/// <c>filename</c> and <c>runtime</c> only confirm which test the caller means.</summary>
public sealed record RunNowRequest(string? FileName, string? Runtime, int? TimeoutSeconds, IReadOnlyList<string>? Locations = null)
{
    public static readonly RunNowRequest None = new(null, null, null);

    private static readonly string[] Fields = ["filename", "runtime", "timeout", "locations"];

    /// <summary><c>locations</c> (optional) names some of the test's locations to run from now; without it the run
    /// goes to every location the test runs from.</summary>
    public static RunNowRequest Parse(JsonElement? body, int maxTimeoutSeconds, IReadOnlyList<string>? knownLocations = null)
    {
        if (body is not { } json)
        {
            return None;
        }

        if (json.ValueKind != JsonValueKind.Object)
        {
            throw P.BadRequest("Malformed run options", """The body must be a JSON object such as {"timeout": 60}, or empty.""");
        }

        string? fileName = null, runtime = null;
        int? timeout = null;
        IReadOnlyList<string>? locations = null;
        foreach (var property in json.EnumerateObject())
        {
            var value = property.Value;
            if (value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            switch (property.Name)
            {
                case "filename":
                    fileName = value.ValueKind == JsonValueKind.String ? value.GetString() : throw P.InvalidField("filename", "'filename' must be a string.");
                    break;
                case "runtime":
                    runtime = value.ValueKind == JsonValueKind.String ? value.GetString() : throw P.InvalidField("runtime", "'runtime' must be a string.");
                    break;
                case "timeout":
                    timeout = value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var seconds) && seconds >= 1 && seconds <= maxTimeoutSeconds
                        ? seconds
                        : throw P.InvalidField("timeout", string.Create(CultureInfo.InvariantCulture,
                            $"'timeout' must be a whole number of seconds from 1 to {maxTimeoutSeconds} (Byot:Upload:MaxTimeoutSeconds)."));
                    break;
                case "locations":
                    locations = LocationList.ParseJson(value, "locations", knownLocations ?? [LocationNames.Default]);
                    break;
                default:
                    throw P.InvalidField(property.Name, $"'{Clip(property.Name)}' is not a run option; the body may carry: {string.Join(", ", Fields)}.", Fields);
            }
        }

        return new RunNowRequest(fileName, runtime, timeout, locations);
    }

    /// <summary>The refusal when the body names a different runtime or file than the test has; null when it agrees.</summary>
    public InvalidRequestException? Mismatch(TestDefinition test, string? artifactFileName)
    {
        if (Runtime is not null && !string.Equals(Runtime, test.Runtime, StringComparison.OrdinalIgnoreCase))
        {
            return P.InvalidField("runtime", $"'runtime' is '{Clip(Runtime)}' but test {test.Id:D} runs '{test.Runtime}'. Drop the field or upload a new version with that runtime.");
        }

        if (FileName is not null && !string.Equals(FileName, artifactFileName, StringComparison.Ordinal))
        {
            return P.InvalidField("filename", $"'filename' is '{Clip(FileName)}' but test {test.Id:D} runs '{artifactFileName}'. Drop the field or upload that file as a new version.");
        }

        if (Locations?.FirstOrDefault(l => !test.RunsFrom.Contains(l, StringComparer.Ordinal)) is { } elsewhere)
        {
            return P.InvalidField("locations", $"Test {test.Id:D} does not run from '{elsewhere}'; it runs from {string.Join(", ", test.RunsFrom)}. Add the location to the test first (PATCH /tests/{{id}} with \"locations\").", test.RunsFrom);
        }

        return null;
    }

    private static string Clip(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
