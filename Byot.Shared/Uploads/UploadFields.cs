namespace Byot.Shared.Uploads;

/// <summary>Form field names of <c>POST /uploadBinary</c>, as the original BYOT named them.</summary>
public static class UploadFields
{
    public const string Binary = "binary";
    public const string Runtime = "runtime";
    public const string Severity = "severity";
    public const string Name = "name";
    public const string Command = "command";
    public const string Timeout = "timeout";
    public const string FailureThreshold = "failure_threshold";
    public const string MemoryMb = "docker_memory_mb";
    public const string Cpus = "docker_cpus";
    public const string NetworkEnabled = "docker_network_enabled";
    public const string Schedule = "schedule";
    public const string TimeZone = "timezone";

    /// <summary>The image a test of runtime <c>image</c> runs in, for example <c>ghcr.io/acme/e2e:1.4</c>.</summary>
    public const string Image = "image";

    /// <summary><c>gvisor</c> asks for gVisor whatever the Runner's floor; <c>default</c> (or absent) takes the floor.</summary>
    public const string Isolation = "isolation";
    public const string Locations = "locations";
    public const string FailingLocations = "failing_locations";

    /// <summary>Comma- or space-separated tags, such as <c>team:payments,service:checkout</c>.</summary>
    public const string Tags = "tags";

    /// <summary>The test's own retries inside a run, 0 to 5 (docs/cases.md).</summary>
    public const string Retries = "retries";

    /// <summary>Seconds before the first retry, 0 to 300.</summary>
    public const string RetryDelay = "retry_delay";

    /// <summary><c>fixed</c>, <c>linear</c> or <c>exponential</c>.</summary>
    public const string RetryBackoff = "retry_backoff";

    /// <summary>Comma- or space-separated test ids and tag selectors, such as <c>tag:service:auth</c>.</summary>
    public const string DependsOn = "depends_on";

    public static readonly IReadOnlyList<string> All =
        [Binary, Runtime, Severity, Name, Command, Timeout, FailureThreshold, MemoryMb, Cpus, NetworkEnabled, Schedule, TimeZone, Image, Isolation, Tags, Locations, FailingLocations, DependsOn,
         Retries, RetryDelay, RetryBackoff];
}
