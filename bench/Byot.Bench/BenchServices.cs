using System.Diagnostics;

namespace Byot.Bench;

/// <summary>Starts Postgres, Azurite and dockerd and builds the local images through the project's own scripts.</summary>
internal static class BenchServices
{
    public static string Root { get; } = FindRoot();

    public static async Task StartAsync(CancellationToken cancellationToken)
    {
        await ShellAsync(Path.Combine(Root, "scripts", "services.sh"), ["start"], cancellationToken);
        await ShellAsync(Path.Combine(Root, "scripts", "build-images.sh"), [], cancellationToken);
    }

    /// <summary>Runs a command, returns its stdout; throws on a non-zero exit.</summary>
    public static async Task<string> ShellAsync(string file, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await errors}");
        }

        return await output;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Byot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Byot.sln not found above " + AppContext.BaseDirectory);
    }
}
