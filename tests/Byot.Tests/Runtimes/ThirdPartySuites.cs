using System.Formats.Tar;
using System.IO.Compression;

namespace Byot.Tests.Runtimes;

/// <summary>Test suites nobody on this project wrote, as scripts/third-party-suites.sh leaves them on the machine,
/// turned into the bundles a user would upload.</summary>
public static class ThirdPartySuites
{
    /// <summary>Debian's libruby3.1 installs Ruby's bundled gems whole, minitest's own tests included.</summary>
    public const string MinitestDirectory = "/usr/lib/ruby/gems/3.1.0/gems/minitest-5.15.0";

    public static string FastifyErrorPackage =>
        Path.Combine(Environment.GetEnvironmentVariable("BYOT_SUITES_DIR") ?? "/var/tmp/byot-suites", "fastify-error-4.3.0.tgz");

    /// <summary>minitest's lib/ and test/ as a .tar.gz, the way its repository lays them out.</summary>
    public static byte[] Minitest()
    {
        Require(MinitestDirectory);
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var folder in new[] { "lib", "test" })
            {
                foreach (var file in Directory.EnumerateFiles(Path.Combine(MinitestDirectory, folder), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, Path.GetRelativePath(MinitestDirectory, file))
                    {
                        Mode = Infrastructure.Bundles.Plain,
                        DataStream = new MemoryStream(File.ReadAllBytes(file)),
                    });
                }
            }
        }

        return buffer.ToArray();
    }

    /// <summary>The npm package with its <c>package/</c> prefix taken off: the package's own tree at /app, as its
    /// repository has it (Deno reads <c>"type": "commonjs"</c> from the package.json beside the tests).</summary>
    public static byte[] FastifyError()
    {
        Require(FastifyErrorPackage);
        using var buffer = new MemoryStream();
        using (var input = new GZipStream(File.OpenRead(FastifyErrorPackage), CompressionMode.Decompress))
        using (var reader = new TarReader(input))
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            while (reader.GetNextEntry(copyData: true) is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !entry.Name.StartsWith("package/", StringComparison.Ordinal))
                {
                    continue;
                }

                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, entry.Name["package/".Length..])
                {
                    Mode = Infrastructure.Bundles.Plain,
                    DataStream = entry.DataStream,
                });
            }
        }

        return buffer.ToArray();
    }

    private static void Require(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing: run scripts/third-party-suites.sh (scripts/test.sh does).");
        }
    }
}
