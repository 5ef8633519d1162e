using System.Text.Json;

namespace Byot.Cli.Config;

/// <summary>Reads and writes <c>config.json</c> in the user's config directory, owner-only (0600 in a 0700
/// directory). BYOT_URL and BYOT_KEY override what is stored.</summary>
internal sealed class ConfigStore(CliHost host)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string FilePath => Path.Combine(host.ConfigDirectory, "config.json");

    public CliConfig? ReadStored()
    {
        if (!File.Exists(FilePath))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<CliConfig>(File.ReadAllText(FilePath), Json);
        }
        catch (JsonException e)
        {
            throw CliException.BadInput($"{FilePath} is not valid JSON ({e.Message}); run `byot login` again.");
        }
    }

    /// <summary>The effective settings: environment first, then the stored file.</summary>
    public CliConfig Resolve()
    {
        var stored = ReadStored();
        var url = host.Environment("BYOT_URL") is { Length: > 0 } envUrl ? envUrl : stored?.Url;
        var key = host.Environment("BYOT_KEY") is { Length: > 0 } envKey ? envKey : stored?.Key;
        if (string.IsNullOrWhiteSpace(url))
        {
            throw CliException.BadInput("No BYOT API configured: run `byot login --url https://…` or set BYOT_URL (and BYOT_KEY).");
        }

        return new CliConfig(url, key);
    }

    public void Save(CliConfig config)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(host.ConfigDirectory);
        }
        else
        {
            Directory.CreateDirectory(host.ConfigDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var temp = FilePath + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            JsonSerializer.Serialize(stream, config, Json);
        }

        if (!OperatingSystem.IsWindows())
        {
            // A file left from an earlier version may have had wider permissions; the new one never does.
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temp, FilePath, overwrite: true);
    }
}
