using System.Buffers.Binary;
using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime;
using Byot.Shared.Artifacts;

namespace Byot.Bench;

/// <summary>Peak RSS growth of this process while BundleReader refuses each kind of hostile archive (a few hundred
/// KB that claim hundreds of MB of headers or entries), next to the growth for reading a normal bundle of about the
/// same compressed size. Limits are the defaults (2 GiB, 100 000 entries). Target: at most 64 MB each.</summary>
internal static class HostileArchivesBench
{
    private const double TargetMb = 64;

    public static async Task<BenchLine> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("byot-hostile-bench");
        try
        {
            var archives = new (string Name, BundleFormat Format, Action<Stream> Write)[]
            {
                ("normal", BundleFormat.TarGz, WriteNormal),
                ("pax", BundleFormat.TarGz, s => WriteTar(s, TarEntryFormat.Pax, w => w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "run", new Dictionary<string, string> { ["comment"] = new string('A', 128 << 20) })))),
                ("gnu_name", BundleFormat.TarGz, s => WriteTar(s, TarEntryFormat.Gnu, w => w.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, new string('n', 128 << 20))))),
                ("link_target", BundleFormat.TarGz, s => WriteTar(s, TarEntryFormat.Pax, w => w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "l") { LinkName = new string('t', 128 << 20) }))),
                ("zip_link", BundleFormat.Zip, WriteZipLink),
                ("zip_million", BundleFormat.Zip, WriteZipClaimingMillion),
            };
            var figures = new List<(string, double)>();
            var worst = 0.0;
            foreach (var (name, format, write) in archives)
            {
                var path = Path.Combine(work.FullName, name + (format == BundleFormat.Zip ? ".zip" : ".tar.gz"));
                await using (var file = File.Create(path))
                {
                    write(file);
                }

                GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                string outcome;
                double growth;
                await using (var sampler = new RssSampler())
                {
                    try
                    {
                        await BundleReader.ReadAsync(path, format, new BundleLimits(2L << 30, 100_000), static (_, _, _) => ValueTask.CompletedTask, cancellationToken);
                        outcome = "read";
                    }
                    catch (BundleRefusedException e)
                    {
                        outcome = "refused: " + e.Message;
                    }

                    await sampler.DisposeAsync();
                    growth = sampler.GrowthMb;
                }

                Console.WriteLine($"{name,-12} {new FileInfo(path).Length / 1024.0,8:0.0} KB  rss +{growth,6:0.0} MB  {outcome}");
                figures.Add(($"{name}_kb", new FileInfo(path).Length / 1024.0));
                figures.Add(($"{name}_rss_mb", growth));
                if (name != "normal")
                {
                    worst = Math.Max(worst, growth);
                }
            }

            figures.Add(("worst_hostile_rss_mb", worst));
            return new BenchLine("hostile-archives", figures, $"target<={TargetMb}mb_each");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static void WriteTar(Stream output, TarEntryFormat format, Action<TarWriter> write)
    {
        using var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true);
        using var writer = new TarWriter(gzip, format, leaveOpen: true);
        write(writer);
    }

    /// <summary>About 300 KB compressed of ordinary files (pseudo-random bytes do not compress).</summary>
    private static void WriteNormal(Stream output)
    {
        var random = new Random(42);
        WriteTar(output, TarEntryFormat.Pax, writer =>
        {
            for (var i = 0; i < 30; i++)
            {
                var bytes = new byte[10 * 1024];
                random.NextBytes(bytes);
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"lib/file{i}.bin") { DataStream = new MemoryStream(bytes) });
            }
        });
    }

    /// <summary>A zip symlink whose "target" is 128 MiB of zeros (its content).</summary>
    private static void WriteZipLink(Stream output)
    {
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        var entry = zip.CreateEntry("l", CompressionLevel.SmallestSize);
        entry.ExternalAttributes = (0xA000 | 0x1A4) << 16;
        using var content = entry.Open();
        var zeros = new byte[1 << 20];
        for (var i = 0; i < 128; i++)
        {
            content.Write(zeros);
        }
    }

    /// <summary>An empty zip whose zip64 end record claims a million entries.</summary>
    private static void WriteZipClaimingMillion(Stream output)
    {
        var file = new byte[56 + 20 + 22];
        BinaryPrimitives.WriteUInt32LittleEndian(file, 0x06064b50);
        BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(4), 44);
        BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(32), 1_000_000);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(56), 0x07064b50);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(72), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(76), 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(86), 0xFFFF);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(88), 0xFFFFFFFF);
        output.Write(file);
    }
}
