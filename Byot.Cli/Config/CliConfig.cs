namespace Byot.Cli.Config;

/// <summary>Where the API is and the function key to call it with.</summary>
internal sealed record CliConfig(string Url, string? Key);
