namespace Byot.Tests.Infrastructure;

/// <summary>Removes every container and volume a test's runner left on the shared engine, found by the
/// <c>byot.runner</c> label, so a test that fails half-way (a run that never ended, a runner stopped mid-run) leaves
/// nothing running for the tests and engineers that come after it.</summary>
public static class EngineLeftovers
{
    /// <summary>The labelled containers and volumes of one runner that still exist on the engine.</summary>
    public static async Task<int> CountAsync(string runnerId) =>
        (await ContainersAsync(runnerId)).Length + (await VolumesAsync(runnerId)).Length;

    public static async Task RemoveAsync(string runnerId)
    {
        // Failures are ignored here (a container the runner removed a moment ago is simply gone) and checked by
        // counting what is left: cleanup must not turn a passing test red, nor hide a failing test's first error.
        foreach (var container in await ContainersAsync(runnerId))
        {
            await DockerCli.RunAsync("rm", "-f", "-v", container);
        }

        foreach (var volume in await VolumesAsync(runnerId))
        {
            await DockerCli.RunAsync("volume", "rm", "-f", volume);
        }
    }

    private static async Task<string[]> ContainersAsync(string runnerId) =>
        Ids(await DockerCli.RunAsync("ps", "-aq", "--filter", $"label=byot.runner={runnerId}"));

    private static async Task<string[]> VolumesAsync(string runnerId) =>
        Ids(await DockerCli.RunAsync("volume", "ls", "-q", "--filter", $"label=byot.runner={runnerId}"));

    private static string[] Ids((int ExitCode, string Output, string Errors) result) =>
        result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
