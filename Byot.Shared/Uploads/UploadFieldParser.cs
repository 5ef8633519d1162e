using System.Globalization;
using Byot.Shared.Domain;
using Byot.Shared.Locations;
using Byot.Shared.Options;
using Byot.Shared.Scheduling;
using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Uploads;

/// <summary>Validates the plain fields of an upload; every refusal names the field and what it accepts.</summary>
public sealed class UploadFieldParser(UploadOptions options, SchedulingOptions scheduling, TimeProvider time, LocationOptions? locations = null)
{
    public const int MaxNameLength = 200;

    /// <summary>Checks the fields present so far, so a bad request is refused before its file is stored.</summary>
    public void CheckPartial(IReadOnlyDictionary<string, string> fields)
    {
        foreach (var (name, value) in fields)
        {
            _ = name switch
            {
                UploadFields.Runtime => ParseRuntime(value),
                UploadFields.Severity => ParseSeverity(value).ToString(),
                _ => null,
            };
        }

        _ = Parse(fields, requireRuntime: false);
    }

    public TestSettings Parse(IReadOnlyDictionary<string, string> fields) => Parse(fields, requireRuntime: true);

    private TestSettings Parse(IReadOnlyDictionary<string, string> fields, bool requireRuntime)
    {
        string? Get(string key) => fields.TryGetValue(key, out var v) ? v : null;

        var runtimeValue = Get(UploadFields.Runtime);
        if (runtimeValue is null && requireRuntime)
        {
            throw P.MissingField(UploadFields.Runtime, "Say which runtime runs the binary, for example -F runtime=node.", Runtimes.Allowed);
        }

        var runtime = runtimeValue is null ? Runtimes.Go : ParseRuntime(runtimeValue);
        var severity = Get(UploadFields.Severity) is { } s ? ParseSeverity(s) : Severity.P2;

        string? name = null;
        if (Get(UploadFields.Name) is { } rawName)
        {
            // Stripped, not refused: a name pasted with a stray CR or an ANSI colour is still the name meant.
            name = ControlCharacters.Strip(rawName).Trim();
            if (name.Length == 0)
            {
                name = null;
            }
            else if (name.Length > MaxNameLength)
            {
                throw P.InvalidField(UploadFields.Name, $"is {name.Length} characters long; the limit is {MaxNameLength}.");
            }
        }

        IReadOnlyList<string>? command = null;
        if (Get(UploadFields.Command) is { } rawCommand)
        {
            command = CommandLine.Parse(rawCommand, out var error);
            if (error is not null)
            {
                throw P.InvalidField(UploadFields.Command, $"'command' {error}.");
            }

            if (command is not null && CommandPlaceholders.Check(command) is { } unknown)
            {
                throw P.InvalidField(UploadFields.Command, unknown, CommandPlaceholders.Allowed);
            }
        }

        var timeout = ParseInt(fields, UploadFields.Timeout, options.DefaultTimeoutSeconds, 1, options.MaxTimeoutSeconds, "seconds");
        var threshold = ParseInt(fields, UploadFields.FailureThreshold, options.DefaultFailureThreshold, 1, 1_000, "consecutive failures");
        var memory = ParseInt(fields, UploadFields.MemoryMb, options.DefaultMemoryMb, 6, options.MaxMemoryMb, "MiB (Byot:Upload:MaxMemoryMb)");
        var cpus = ParseCpus(Get(UploadFields.Cpus));
        var network = ParseBool(Get(UploadFields.NetworkEnabled));
        Schedule? schedule = null;
        if (Get(UploadFields.Schedule) is { } expression && !string.IsNullOrWhiteSpace(expression))
        {
            schedule = ScheduleParser.Parse(expression, Get(UploadFields.TimeZone), scheduling.MinIntervalSeconds, time.GetUtcNow());
        }
        else if (Get(UploadFields.TimeZone) is { } zone && !string.IsNullOrWhiteSpace(zone))
        {
            throw P.InvalidField(UploadFields.TimeZone, "A time zone needs a schedule; add a 'schedule' field or leave 'timezone' out.");
        }

        var image = ParseImage(Get(UploadFields.Image), runtime, runtimeValue is not null);
        var isolation = ParseIsolation(Get(UploadFields.Isolation));
        var tags = Get(UploadFields.Tags) is { } rawTags ? Catalog.TagParser.ParseList(rawTags) : [];
        var runsFrom = Get(UploadFields.Locations) is { } rawLocations
            ? LocationList.ParseField(rawLocations, UploadFields.Locations, (locations ?? new LocationOptions()).All)
            : null;
        var failingLocations = ParseInt(fields, UploadFields.FailingLocations, 1, 1, LocationNames.MaxPerTest, "locations that must be failing before an incident opens");
        var retry = new RetryPolicy(
            ParseInt(fields, UploadFields.Retries, 0, 0, RetryPolicy.MaxRetries, "retries (attempts after the first, each in a fresh container)"),
            ParseInt(fields, UploadFields.RetryDelay, 0, 0, RetryPolicy.MaxDelaySeconds, "seconds before the first retry"),
            Get(UploadFields.RetryBackoff) is { } backoff ? ParseBackoff(backoff, UploadFields.RetryBackoff) : RetryBackoffs.Fixed);
        var dependsOn = Get(UploadFields.DependsOn) is { } rawDependsOn ? Catalog.DependsOnParser.ParseList(rawDependsOn, UploadFields.DependsOn) : [];
        return new TestSettings(name, runtime, severity, command, timeout, threshold, memory, cpus, network, schedule, image, isolation, runsFrom, failingLocations)
        {
            Tags = tags,
            DependsOn = dependsOn,
            Retry = retry,
        };
    }

    private static string ParseRuntime(string value)
    {
        var runtime = value.Trim();
        if (runtime.Length == 0)
        {
            throw P.MissingField(UploadFields.Runtime, "'runtime' is empty; say which runtime runs the binary.", Runtimes.Allowed);
        }

        return Runtimes.IsKnown(runtime)
            ? runtime
            : throw P.InvalidField(UploadFields.Runtime, $"'{Clip(runtime)}' is not a runtime BYOT knows; use one of: {string.Join(", ", Runtimes.Allowed)}.", Runtimes.Allowed);
    }

    /// <summary>Required for runtime <c>image</c> and refused for every other runtime, whose image is the runner's choice.</summary>
    private static string? ParseImage(string? raw, string runtime, bool runtimeKnown)
    {
        var image = raw?.Trim();
        if (string.IsNullOrEmpty(image))
        {
            return runtime == Runtimes.Image && runtimeKnown
                ? throw P.MissingField(UploadFields.Image, "Runtime 'image' needs the image to run in, for example -F image=ghcr.io/acme/e2e:1.4.")
                : null;
        }

        if (runtimeKnown && runtime != Runtimes.Image)
        {
            throw P.InvalidField(UploadFields.Image, $"'image' is only for runtime 'image'; runtime '{runtime}' runs in the image the runner configures for it.");
        }

        return ImageReference.IsValid(image)
            ? image
            : throw P.InvalidField(UploadFields.Image, $"'{Clip(image)}' is not an image reference; use the form registry/name:tag or name@sha256:digest, lower case, at most {ImageReference.MaxLength} characters.");
    }

    /// <summary>The stored request: <c>gvisor</c>, or null for the Runner's floor.</summary>
    internal static string? ParseIsolation(string? raw) => raw?.Trim().ToLowerInvariant() switch
    {
        null or "" or Isolations.Default => null,
        Isolations.Gvisor => Isolations.Gvisor,
        _ => throw P.InvalidField(UploadFields.Isolation,
            $"'{Clip(raw)}' is not an isolation BYOT offers; use 'gvisor' to run this test under gVisor whatever the Runner's floor, or 'default' for the Runner's floor (a test can ask for more isolation, never less).", Isolations.Requests),
    };

    /// <summary>One of <see cref="RetryBackoffs.Allowed"/>; <paramref name="field"/> is the name the caller used.</summary>
    internal static string ParseBackoff(string raw, string field)
    {
        var backoff = raw.Trim().ToLowerInvariant();
        return RetryBackoffs.IsKnown(backoff)
            ? backoff
            : throw P.InvalidField(field,
                $"'{Clip(raw)}' is not a backoff; use fixed (the same delay before each retry), linear (the delay times the retry's number) or exponential (doubled each retry).",
                RetryBackoffs.Allowed);
    }

    private static Severity ParseSeverity(string value) =>
        Severities.TryParse(value, out var severity)
            ? severity
            : throw P.InvalidField(UploadFields.Severity, $"'{Clip(value)}' is not a severity; use one of: P0 (page now), P1 (escalate), P2 (business hours), P3 (weekly digest).", Severities.Allowed);

    private static int ParseInt(IReadOnlyDictionary<string, string> fields, string field, int fallback, int min, int max, string unit)
    {
        if (!fields.TryGetValue(field, out var raw))
        {
            return fallback;
        }

        return int.TryParse(raw.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw P.InvalidField(field, $"'{Clip(raw)}' is not allowed; give a whole number of {unit} from {min} to {max}.");
    }

    private double ParseCpus(string? raw)
    {
        if (raw is null)
        {
            return options.DefaultCpus;
        }

        return double.TryParse(raw.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value >= 0.01 && value <= options.MaxCpus
            ? value
            : throw P.InvalidField(UploadFields.Cpus, $"'{Clip(raw)}' is not allowed; give a number of CPUs from 0.01 to {options.MaxCpus} (Byot:Upload:MaxCpus), for example 0.5.");
    }

    private static bool ParseBool(string? raw) => raw?.Trim().ToLowerInvariant() switch
    {
        null or "false" or "0" or "no" => false,
        "true" or "1" or "yes" => true,
        _ => throw P.InvalidField(UploadFields.NetworkEnabled, $"'{Clip(raw)}' is not a boolean; use true or false.", ["true", "false"]),
    };

    private static string Clip(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
