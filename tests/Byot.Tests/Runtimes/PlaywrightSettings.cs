
namespace Byot.Tests.Runtimes;

/// <summary>Runner settings for browser runs: the runtimes as documented on the local images, with the limits a user
/// gets by default (RunnerKit's fast settings shrink pids and /tmp below what Chromium needs).</summary>
public static class PlaywrightSettings
{
    public static IDictionary<string, string?> AtDefaults()
    {
        var settings = DocumentedRuntimes.LocalRunnerSettings();
        settings["Byot:Runner:PidsLimit"] = "256";
        settings["Byot:Runner:TmpfsMb"] = "64";
        return settings;
    }
}
