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
                var entry = new PaxTarEntry(TarEntryType.RegularFile, artifact.FileName)
                {
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
                    Uid = 0,
                    Gid = 0,
                    ModificationTime = DateTimeOffset.UnixEpoch,
                };
                await using var content = File.OpenRead(download);
                entry.DataStream = content;
                await writer.WriteEntryAsync(entry, cancellationToken);
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
