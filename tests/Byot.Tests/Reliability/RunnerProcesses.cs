using Byot.Tests.Deploy;
using Byot.Tests.Infrastructure;

namespace Byot.Tests.Reliability;

/// <summary>Starts the Runner as real, separate operating-system processes: the build output's apphost next to
/// <c>Byot.Runner.dll</c>, or the published single file when <c>BYOT_RUNNER_PUBLISH_DIR</c> is set.</summary>
public static class RunnerProcesses
{
    /// <summary>The Runner executable of this build (same configuration and framework as the test assembly).</summary>
    public static string Executable()
    {
        var published = Environment.GetEnvironmentVariable("BYOT_RUNNER_PUBLISH_DIR");
        if (!string.IsNullOrEmpty(published))
        {
            return Path.Combine(published, PublishedRunner.ExecutableName);
        }

        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = output.Name;
        var configuration = output.Parent!.Name;
        var executable = Repository.Path("Byot.Runner", "bin", configuration, framework, PublishedRunner.ExecutableName);
        if (!File.Exists(executable))
        {
            throw new FileNotFoundException("The Runner is not built; build Byot.sln first.", executable);
        }

        return executable;
    }

    /// <summary>Runner settings for the locally built runtime images, on top of an environment's settings.</summary>
    public static Dictionary<string, string?> Settings(string runnerId, int slots, string cacheRoot) => new()
    {
        ["Byot:Runner:Id"] = runnerId,
        ["Byot:Runner:MaxConcurrentRuns"] = slots.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Byot:Runner:VisibilityTimeoutSeconds"] = "30",
        ["Byot:Runner:MaxIdlePollMilliseconds"] = "200",
        ["Byot:Runner:StopGraceSeconds"] = "1",
        ["Byot:Runner:PidsLimit"] = "64",
        ["Byot:Runner:TmpfsMb"] = "8",
        ["Byot:Runner:ArtifactCacheDirectory"] = Path.Combine(cacheRoot, runnerId),
        ["Byot:Runner:Runtimes:go:Image"] = RunnerHost.BusyboxImage,
        ["Byot:Runner:Runtimes:go:Command:0"] = "{file}",
        ["Byot:Runner:Runtimes:go:BundleCommand:0"] = "/app/run",
    };

    /// <summary>Starts one Runner process with the settings as environment variables and waits until it receives.</summary>
    public static async Task<RunnerProcess> StartAsync(IDictionary<string, string?> settings, TimeSpan? within = null)
    {
        var environment = settings.Where(s => s.Value is not null)
            .ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!, StringComparer.Ordinal);
        var runner = RunnerProcess.Start(Executable(), environment);
        if (!await runner.WaitForOutputAsync("receiving with", within ?? TimeSpan.FromSeconds(60)))
        {
            var output = runner.Output;
            await runner.DisposeAsync();
            throw new InvalidOperationException("The runner process did not start receiving:\n" + output);
        }

        return runner;
    }
}
