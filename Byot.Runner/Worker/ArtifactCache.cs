using System.Collections.Concurrent;
using System.Formats.Tar;
using System.Security.Cryptography;
using Byot.Runner.Options;
using Byot.Shared.Artifacts;
using Byot.Shared.Domain;
using Microsoft.Extensions.Options;

namespace Byot.Runner.Worker;

/// <summary>Downloads each artifact version once, checks its sha256, and keeps it as the tar that is unpacked into
/// /app, so a run only streams a local file to the engine.</summary>
internal sealed class ArtifactCache(ArtifactStore artifacts, IOptions<RunnerOptions> options)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> building = new(StringComparer.Ordinal);

    public async Task<string> GetAppArchiveAsync(TestArtifact artifact, CancellationToken cancellationToken)
    {
        var path = Path.Combine(options.Value.ArtifactCacheDirectory, $"{artifact.Sha256}-{artifact.FileName}.tar");
        if (File.Exists(path))
        {
            return path;
        }

        var lazy = building.GetOrAdd(path, p => new Lazy<Task<string>>(() => BuildAsync(artifact, p, CancellationToken.None)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        finally
        {
            if (lazy.Value.IsCompleted)
            {
                building.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(path, lazy));
            }
        }
    }

    /// <summary>Rewrites a checked bundle as a plain tar of root-owned, normalised entries, so what reaches the engine
    /// is exactly what was checked (no owners, modes or names from the uploader beyond the run bit).</summary>
    private async Task RepackAsync(string bundle, BundleFormat format, TarWriter writer, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var scratch = bundle + ".entry";
        try
        {
            await BundleReader.ReadAsync(bundle, format, new BundleLimits(o.MaxBundleBytes, o.MaxBundleEntries), async (entry, content, ct) =>
            {
                switch (entry.Kind)
                {
                    case BundleEntryKind.Directory:
                        await writer.WriteEntryAsync(Entry(TarEntryType.Directory, entry.Path, executable: true, null), ct);
                        break;
                    case BundleEntryKind.SymbolicLink or BundleEntryKind.HardLink:
                        var link = Entry(entry.Kind == BundleEntryKind.SymbolicLink ? TarEntryType.SymbolicLink : TarEntryType.HardLink, entry.Path, executable: false, null);
                        link.LinkName = entry.LinkTarget!;
                        await writer.WriteEntryAsync(link, ct);
                        break;
                    default:
                        // The tar header needs the length first; a scratch file holds one entry at a time.
                        await using (var file = File.Create(scratch))
                        {
                            await content!.CopyToAsync(file, ct);
                        }

                        await using (var file = File.OpenRead(scratch))
                        {
                            await writer.WriteEntryAsync(Entry(TarEntryType.RegularFile, entry.Path, entry.Executable, file), ct);
                        }

                        break;
                }
            }, cancellationToken);
        }
        finally
        {
            File.Delete(scratch);
        }
    }

    private static PaxTarEntry Entry(TarEntryType type, string name, bool executable, Stream? content)
    {
        const UnixFileMode readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        const UnixFileMode runnable = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        var entry = new PaxTarEntry(type, name)
        {
            Mode = executable ? readable | runnable : readable,
            Uid = 0,
            Gid = 0,
            ModificationTime = DateTimeOffset.UnixEpoch,
        };
        if (content is not null)
        {
            entry.DataStream = content;
        }

        return entry;
    }

    private async Task<string> BuildAsync(TestArtifact artifact, string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var download = path + $".{Guid.NewGuid():N}.download";
        var tar = path + $".{Guid.NewGuid():N}.partial";
        try
        {
            await artifacts.DownloadToFileAsync(artifact.BlobName, download, cancellationToken);
            await using (var file = File.OpenRead(download))
            {
                var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
                if (!string.Equals(actual, artifact.Sha256, StringComparison.Ordinal))
                {
                    throw new InvalidDataException($"Artifact {artifact.BlobName} has sha256 {actual}, expected {artifact.Sha256}.");
                }
            }

            await using (var output = File.Create(tar))
            await using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: false))
            {
                var format = BundleFormats.Detect(artifact.FileName);
                if (format == BundleFormat.None)
                {
                    // A single file lands as /app/<name> with its run bit.
                    await using var content = File.OpenRead(download);
                    await writer.WriteEntryAsync(Entry(TarEntryType.RegularFile, artifact.FileName, executable: true, content), cancellationToken);
                }
                else
                {
                    await RepackAsync(download, format, writer, cancellationToken);
                }
            }

            File.Move(tar, path, overwrite: true);
            return path;
        }
        finally
        {
            File.Delete(download);
            File.Delete(tar);
        }
    }
}
