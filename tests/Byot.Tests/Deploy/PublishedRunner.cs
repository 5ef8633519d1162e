using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace Byot.Tests.Deploy;

/// <summary>The Runner published the way users get it: <c>dotnet publish Byot.Runner -c Release -r linux-x64
/// --self-contained -p:PublishSingleFile=true</c>. Published once per source state: the sources are copied to a
/// folder of their own first, so the RID-specific restore and build never touch the solution's obj/ folders while
/// other tests run, and the result is reused while the Runner's and Shared's sources are unchanged.
/// <c>BYOT_RUNNER_PUBLISH_DIR</c> points the tests at a folder published elsewhere instead.</summary>
public static class PublishedRunner
{
    public const string ExecutableName = "Byot.Runner";

    private static readonly string[] SourceFiles = ["Directory.Build.props", "Directory.Packages.props", "global.json", ".editorconfig"];
    private static readonly string[] SourceDirectories = ["Byot.Runner", "Byot.Shared"];
    private static readonly Lazy<Task<string>> Published = new(PublishAsync);

    /// <summary>The folder holding the published executable.</summary>
    public static Task<string> FolderAsync() => Published.Value;

    private static async Task<string> PublishAsync()
    {
        var given = Environment.GetEnvironmentVariable("BYOT_RUNNER_PUBLISH_DIR");
        if (!string.IsNullOrEmpty(given))
        {
            Assert.True(File.Exists(Path.Combine(given, ExecutableName)), $"BYOT_RUNNER_PUBLISH_DIR={given} holds no {ExecutableName}");
            return given;
        }

        var sources = CollectSources();
        var cache = Path.Combine(Path.GetTempPath(), "byot-runner-publish");
        var final = Path.Combine(cache, SourceHash(sources));
        var output = Path.Combine(final, "out");
        if (File.Exists(Path.Combine(output, ExecutableName)))
        {
            Directory.SetLastWriteTimeUtc(final, DateTime.UtcNow);
            return output;
        }

        // Publish into a folder of this process's own, then move it into place: another worktree or test run on this
        // machine may publish the same sources at the same time.
        var work = final + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        var source = Path.Combine(work, "src");
        foreach (var relative in sources)
        {
            var target = Path.Combine(source, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Repository.Path(relative), target);
        }

        var result = await Command.RunAsync(
            "dotnet",
            ["publish", Path.Combine(source, "Byot.Runner", "Byot.Runner.csproj"), "-c", "Release", "-r", "linux-x64",
             "--self-contained", "-p:PublishSingleFile=true", "-o", Path.Combine(work, "out"), "-nologo", "-v", "quiet"],
            workingDirectory: source,
            environment: new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
            timeout: TimeSpan.FromMinutes(8));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(Path.Combine(work, "out", ExecutableName)), result.ToString());
        Directory.Delete(source, recursive: true);
        try
        {
            Directory.Move(work, final);
        }
        catch (IOException) when (File.Exists(Path.Combine(output, ExecutableName)))
        {
            Directory.Delete(work, recursive: true);
        }

        RemoveStale(cache, final);
        return output;
    }

    /// <summary>Publishes not used for a day go, so the cache does not grow without bound.</summary>
    private static void RemoveStale(string cache, string keep)
    {
        foreach (var folder in new DirectoryInfo(cache).EnumerateDirectories())
        {
            if (folder.FullName != keep && folder.LastWriteTimeUtc < DateTime.UtcNow.AddDays(-1))
            {
                try
                {
                    folder.Delete(recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // In use or already gone: the next run tries again.
                }
            }
        }
    }

    private static List<string> CollectSources()
    {
        var files = new List<string>(SourceFiles);
        foreach (var directory in SourceDirectories)
        {
            foreach (var file in Directory.EnumerateFiles(Repository.Path(directory), "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(Repository.Root, file);
                var parts = relative.Split(Path.DirectorySeparatorChar);
                if (!parts.Contains("bin") && !parts.Contains("obj"))
                {
                    files.Add(relative);
                }
            }
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }

    private static string SourceHash(List<string> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file + "\0"));
            hash.AppendData(File.ReadAllBytes(Repository.Path(file)));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
