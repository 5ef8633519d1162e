namespace Byot.Cli.Deploy;

/// <summary>One test in <c>byot.yaml</c>. Fields left out keep the server's value (or its default on create).</summary>
public sealed class DeployTest
{
    public string? Name { get; init; }

    /// <summary>A file or directory, relative to byot.yaml; a directory is uploaded as a reproducible .tar.gz.</summary>
    public string? Path { get; init; }

    public string? Runtime { get; init; }

    public string? Severity { get; init; }

    public string? Schedule { get; init; }

    public string? Timezone { get; init; }

    public int? Timeout { get; init; }

    public int? FailureThreshold { get; init; }

    public List<string>? Command { get; init; }

    public int? MemoryMb { get; init; }

    public double? Cpus { get; init; }

    public bool? Network { get; init; }

    public bool? Enabled { get; init; }

    public string? Image { get; init; }

    /// <summary><c>gvisor</c> or <c>default</c> (the Runner's floor); docs/isolation.md.</summary>
    public string? Isolation { get; init; }

    /// <summary>The test's own retries inside a run, 0 to 5: a failed, timed-out or OOM attempt is tried again in a
    /// fresh container before the run is recorded.</summary>
    public int? Retries { get; init; }

    /// <summary>Seconds before the first retry, 0 to 300.</summary>
    public int? RetryDelay { get; init; }

    /// <summary><c>fixed</c>, <c>linear</c> or <c>exponential</c>.</summary>
    public string? RetryBackoff { get; init; }

    /// <summary>The test's tags (<c>team:payments</c>); given, they replace the server's; an empty list removes them.</summary>
    public List<string>? Tags { get; init; }

    /// <summary>Where the test runs from (<c>[default, eu-west]</c>); given, they replace the server's list.</summary>
    public List<string>? Locations { get; init; }

    /// <summary>k of k-of-N: how many of its locations must be failing before an incident opens.</summary>
    public int? FailingLocations { get; init; }

    /// <summary>What the test depends on: names of tests (in this file or on the server), test ids and tag selectors
    /// (<c>tag:service:auth</c>); given, they replace the server's; an empty list removes them. Set after every test
    /// of the file exists, so a test may depend on one created by the same deploy.</summary>
    public List<string>? DependsOn { get; init; }

    /// <summary>Secret name to the environment variable holding its value when deploy runs.</summary>
    public Dictionary<string, string>? Secrets { get; init; }
}
