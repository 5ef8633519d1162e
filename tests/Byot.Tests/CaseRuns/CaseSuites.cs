using System.Formats.Tar;
using System.IO.Compression;
using Byot.Tests.Runtimes;

namespace Byot.Tests.CaseRuns;

/// <summary>Real suites nobody on this project wrote, as scripts/third-party-suites.sh leaves them on the machine,
/// turned into the bundles a user would upload.</summary>
public static class CaseSuites
{
    public const string GoCmpSource = "/usr/share/gocode/src/github.com/google/go-cmp/cmp";
    private const string DistPackages = "/usr/lib/python3/dist-packages";
    private static readonly string[] PytestAndWebsocket = ["websocket", "pytest", "_pytest", "pluggy", "iniconfig", "packaging", "attr", "attrs"];

    /// <summary>go-cmp's own tests (Debian's golang-github-google-go-cmp-dev), compiled offline by the script.</summary>
    public static string GoCmpTestBinary =>
        Path.Combine(Environment.GetEnvironmentVariable("BYOT_SUITES_DIR") ?? "/var/tmp/byot-suites", "go-cmp.test");

    public static byte[] GoCmpBinary() => File.ReadAllBytes(Require(GoCmpTestBinary));

    /// <summary>The test binary with the testdata/ its package's tests read, as the package's directory has it.</summary>
    public static byte[] GoCmpBundle() => TarGz(
        [("cmp.test", Require(GoCmpTestBinary))],
        [(GoCmpSource, "testdata")]);

    /// <summary>websocket-client's package with its own tests (Debian's python3-websocket), and Debian's pytest with
    /// the pure-Python packages it imports, side by side in /app.</summary>
    public static byte[] WebsocketWithPytest() => TarGz(
        [("py.py", Path.Combine(DistPackages, "py.py"))],
        [.. PytestAndWebsocket.Select(d => (DistPackages, Require(Path.Combine(DistPackages, d))[(DistPackages.Length + 1)..]))]);

    private static byte[] TarGz((string Name, string Path)[] files, (string Root, string Folder)[] folders)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, path) in files)
            {
                Add(writer, name, path);
            }

            foreach (var (root, folder) in folders)
            {
                foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    if (!file.Contains("/__pycache__/", StringComparison.Ordinal))
                    {
                        Add(writer, Path.GetRelativePath(root, file), file);
                    }
                }
            }
        }

        return buffer.ToArray();
    }

    private static void Add(TarWriter writer, string name, string path) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = name.EndsWith(".test", StringComparison.Ordinal) ? Infrastructure.Bundles.Executable : Infrastructure.Bundles.Plain,
            DataStream = new MemoryStream(File.ReadAllBytes(path)),
        });

    private static string Require(string path) =>
        File.Exists(path) || Directory.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: run scripts/third-party-suites.sh (scripts/test.sh does).");

    /// <summary>@fastify/error's package, as the runtime tests use it.</summary>
    public static byte[] FastifyError() => ThirdPartySuites.FastifyError();
}
