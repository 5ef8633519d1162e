namespace Byot.Cli.Deploy;

/// <summary>One maintenance window in <c>byot.yaml</c> (<c>maintenance:</c>), with the API's fields
/// (docs/maintenance.md). Matched with the server's windows by name; <see cref="Tests"/> are test names (of the file
/// or the server) or ids.</summary>
public sealed class DeployWindow
{
    public string? Name { get; init; }

    public string? Mode { get; init; }

    public string? StartsAt { get; init; }

    public string? EndsAt { get; init; }

    public string? Cron { get; init; }

    public List<string>? Days { get; init; }

    public string? Start { get; init; }

    public int? DurationMinutes { get; init; }

    public string? Timezone { get; init; }

    public List<string>? Tests { get; init; }

    public List<string>? Tags { get; init; }
}
