using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace Byot.Tests.Deploy;

/// <summary>The runtime stage of deploy/docker/Runner.Dockerfile, built here without a registry: the .NET
/// runtime-deps base image cannot be pulled, so a stand-in is made from scratch with the host's C libraries and
/// OpenSSL and an <c>app</c> user (uid 1654) as in the real base image; the Dockerfile's own ENV, WORKDIR, USER and
/// ENTRYPOINT lines are taken over verbatim, and the published runner is copied in as its build stage would.</summary>
public static class RunnerContainerImage
{
    public const string Tag = "byot-local/runner-under-test:1";
    public const string AppUid = "1654";

    private static readonly string[] ExtraLibraries = ["/usr/lib/x86_64-linux-gnu/libssl.so.3", "/usr/lib/x86_64-linux-gnu/libcrypto.so.3"];
    private static readonly string[] KeptInstructions = ["ENV", "WORKDIR", "USER", "ENTRYPOINT"];
    private static readonly Lazy<Task<string>> Built = new(BuildAsync);

    public static Task<string> TagAsync() => Built.Value;

    /// <summary>The final stage of Runner.Dockerfile, as (instruction, full text) with continuation lines joined.</summary>
    public static List<(string Instruction, string Text)> FinalStage()
    {
        var lines = Repository.ReadText("deploy", "docker", "Runner.Dockerfile").Split('\n');
        var last = Array.FindLastIndex(lines, l => l.StartsWith("FROM ", StringComparison.Ordinal));
        var instructions = new List<(string, string)>();
        var current = new StringBuilder();
        foreach (var line in lines.Skip(last + 1).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            current.Append(line).Append('\n');
            if (!line.EndsWith('\\'))
            {
                var text = current.ToString();
                instructions.Add((text.Split(' ', 2)[0], text));
                current.Clear();
            }
        }

        return instructions;
    }

    private static async Task<string> BuildAsync()
    {
        var published = await PublishedRunner.FolderAsync();
        var context = Path.Combine(Path.GetTempPath(), "byot-runner-image-" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            var root = Path.Combine(context, "rootfs");
            var ldd = await Command.RunAsync("ldd", [Path.Combine(published, PublishedRunner.ExecutableName)]);
            Assert.True(ldd.ExitCode == 0, ldd.ToString());
            var libraries = ldd.Stdout.Split('\n')
                .Select(l => l.Trim().Split(' '))
                .Select(parts => parts.Length >= 3 && parts[1] == "=>" ? parts[2] : parts[0])
                .Where(p => p.StartsWith('/'))
                .Concat(ExtraLibraries);
            foreach (var library in libraries)
            {
                var target = Path.Combine(root, library.TrimStart('/'));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(library, target, overwrite: true);
            }

            Directory.CreateDirectory(Path.Combine(root, "etc"));
            Directory.CreateDirectory(Path.Combine(root, "tmp"));
            await File.WriteAllTextAsync(Path.Combine(root, "etc", "passwd"), $"root:x:0:0:root:/root:/sbin/nologin\napp:x:{AppUid}:{AppUid}::/home/app:/sbin/nologin\n");
            await File.WriteAllTextAsync(Path.Combine(root, "etc", "group"), $"root:x:0:\napp:x:{AppUid}:\n");
            var opt = Path.Combine(root, "opt", "byot-runner");
            Directory.CreateDirectory(opt);
            File.Copy(Path.Combine(published, PublishedRunner.ExecutableName), Path.Combine(opt, PublishedRunner.ExecutableName));
            File.Copy(Path.Combine(published, "appsettings.json"), Path.Combine(opt, "appsettings.json"));
            Directory.CreateDirectory(Path.Combine(context, "cache"));
            await File.WriteAllTextAsync(Path.Combine(context, "cache", ".keep"), "");

            var dockerfile = new StringBuilder()
                .Append("FROM scratch\n")
                .Append("COPY rootfs/ /\n")
                .Append($"COPY --chown={AppUid}:{AppUid} cache/ /var/cache/byot-runner/\n");
            foreach (var (instruction, text) in FinalStage().Where(i => KeptInstructions.Contains(i.Instruction)))
            {
                dockerfile.Append(text);
            }

            await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), dockerfile.ToString());
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dockerfile + published)))[..12];
            var build = await Command.RunAsync("docker", ["build", "-q", "--label", "byot.content=" + hash, "-t", Tag, context],
                timeout: TimeSpan.FromMinutes(5));
            Assert.True(build.ExitCode == 0, build.ToString());
            return Tag;
        }
        finally
        {
            Directory.Delete(context, recursive: true);
        }
    }
}
