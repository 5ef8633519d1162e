using Byot.Runner.Options;
using Microsoft.Extensions.Configuration;

namespace Byot.Tests.Runtimes;

/// <summary>The runtimes as the Runner ships them: images and default commands from Byot.Runner/appsettings.json,
/// local images from appsettings.Local.json (what scripts/run.sh and these tests use).</summary>
public static class DocumentedRuntimes
{
    private const string Section = RunnerOptions.Section + ":Runtimes";

    /// <summary>The production defaults, by runtime name.</summary>
    public static IReadOnlyDictionary<string, RuntimeImage> Defaults() => Bind(Load("appsettings.json"));

    /// <summary>Runtime name to local image, for the runtimes that have one.</summary>
    public static IReadOnlyDictionary<string, string> LocalImages() =>
        Bind(Load("appsettings.Local.json")).ToDictionary(r => r.Key, r => r.Value.Image, StringComparer.Ordinal);

    /// <summary>Runner settings that run every runtime with a local image exactly as documented: its default
    /// commands, in its local image.</summary>
    public static IDictionary<string, string?> LocalRunnerSettings()
    {
        var merged = new ConfigurationBuilder()
            .AddJsonFile(Repository.Path("Byot.Runner", "appsettings.json"))
            .AddJsonFile(Repository.Path("Byot.Runner", "appsettings.Local.json"))
            .Build();
        var local = LocalImages();
        return merged.GetSection(Section).AsEnumerable()
            .Where(kv => kv.Value is not null && local.ContainsKey(kv.Key[(Section.Length + 1)..].Split(':')[0]))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
    }

    private static IConfigurationRoot Load(string file) =>
        new ConfigurationBuilder().AddJsonFile(Repository.Path("Byot.Runner", file)).Build();

    private static Dictionary<string, RuntimeImage> Bind(IConfiguration configuration) =>
        configuration.GetSection(Section).GetChildren().ToDictionary(
            c => c.Key,
            c => new RuntimeImage
            {
                Image = c["Image"] ?? "",
                Command = [.. c.GetSection("Command").GetChildren().Select(x => x.Value ?? "")],
                BundleCommand = [.. c.GetSection("BundleCommand").GetChildren().Select(x => x.Value ?? "")],
            },
            StringComparer.Ordinal);
}
