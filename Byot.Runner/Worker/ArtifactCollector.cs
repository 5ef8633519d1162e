using System.Formats.Tar;
using System.Globalization;
using Byot.Runner.Containers;
using Byot.Runner.Options;
using Byot.Shared.Artifacts;
using Byot.Shared.Domain;
using Byot.Shared.Secrets;
using Byot.Shared.Storage;
using Microsoft.Extensions.Options;

namespace Byot.Runner.Worker;

/// <summary>After a container exits, keeps the regular files it left in /artifacts (screenshots, traces, JUnit) in
/// Blob storage and lists them on the run, within a file count and byte budget.</summary>
internal sealed class ArtifactCollector(IContainerEngine engine, ArtifactStore artifacts, RunStore runs, DatabaseRetry retry, IOptions<RunnerOptions> options)
{
    /// <summary>Returns a one-line summary for the run log, or null when the test left nothing. Text files are masked
    /// with <paramref name="masker"/> before they are kept, like the log. Reports among the kept files (JUnit XML,
    /// Playwright JSON) are read, masked, into <paramref name="cases"/>.</summary>
    public async Task<string?> CollectAsync(Guid runId, ContainerHandle handle, SecretMasker? masker, CancellationToken cancellationToken, CaseCollector? cases = null)
    {
        var o = options.Value;
        var kept = 0;
        var skipped = 0;
        var unmaskable = 0;
        long bytes = 0;
        // The cache directory is the one place a runner is sure to be able to write: in a container its root and
        // /tmp may be read-only.
        Directory.CreateDirectory(o.ArtifactCacheDirectory);
        var spool = Path.Combine(o.ArtifactCacheDirectory, $"spool-{runId:N}-{Guid.NewGuid():N}.tar");
        try
        {
            // Spooled to a bounded local file first: Docker.DotNet's chunked response stream fails when the tar reader
            // reads it piecewise, and a file lets a test that wrote gigabytes cost at most the budget plus slack.
            var complete = await SpoolAsync(handle, spool, o.MaxArtifactBytes + SpoolSlackBytes, cancellationToken);
            await using var archive = File.OpenRead(spool);
            await using var tar = new TarReader(archive);
            while (await NextAsync(tar, complete, cancellationToken) is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || SafePath(entry.Name) is not { } path)
                {
                    continue;
                }

                var remaining = o.MaxArtifactBytes - bytes;
                if (kept >= o.MaxArtifactFiles || entry.Length > remaining)
                {
                    skipped++;
                    continue;
                }

                var content = entry.DataStream ?? Stream.Null;
                if (masker is { IsEmpty: false })
                {
                    content = await MaskedAsync(content, entry.Length, masker, o.MaxMaskedArtifactBytes, cancellationToken);
                    if (content == Stream.Null && entry.Length > 0)
                    {
                        skipped++;
                        unmaskable++;
                        continue;
                    }
                }

                if (cases is not null && CaseCollector.IsReport(path) && content.CanSeek)
                {
                    await cases.ReadReportAsync(path, content, cancellationToken);
                }

                var blobName = ArtifactStore.RunFileBlobName(runId, path);
                var staged = await artifacts.WriteAsync(blobName, content, remaining, cancellationToken);
                await retry.ExecuteAsync(ct => runs.AddArtifactAsync(new RunArtifact(runId, path, blobName, staged.SizeBytes), ct), cancellationToken);
                bytes += staged.SizeBytes;
                kept++;
            }

            if (!complete)
            {
                skipped++;
            }
        }
        finally
        {
            File.Delete(spool);
        }

        if (kept == 0 && skipped == 0)
        {
            return null;
        }

        var summary = string.Create(CultureInfo.InvariantCulture, $"kept {kept} file(s), {bytes} bytes, from {DockerContainerEngine.ArtifactsPath}");
        if (skipped > 0)
        {
            summary += string.Create(CultureInfo.InvariantCulture, $"; {skipped} more not kept (limits: {o.MaxArtifactFiles} files, {o.MaxArtifactBytes} bytes)");
        }

        return unmaskable == 0
            ? summary
            : summary + string.Create(CultureInfo.InvariantCulture, $"; {unmaskable} of them text over {o.MaxMaskedArtifactBytes} bytes, too large to mask the test's secrets in");
    }

    private const int TextSniffBytes = 8192;

    /// <summary>A text file (no NUL byte) with its secrets masked; a binary file as it is; <see cref="Stream.Null"/>
    /// for a text file too large to mask, which is not kept rather than kept with secrets in it.</summary>
    private static async Task<Stream> MaskedAsync(Stream content, long length, SecretMasker masker, long maxMaskedBytes, CancellationToken cancellationToken)
    {
        if (length > maxMaskedBytes)
        {
            var head = new byte[TextSniffBytes];
            var read = await content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
            if (head.AsSpan(0, read).IndexOf((byte)0) < 0)
            {
                return Stream.Null;
            }

            // The spool is a file, so the entry's stream can go back to its start.
            content.Position = 0;
            return content;
        }

        var bytes = new byte[length];
        await content.ReadExactlyAsync(bytes, cancellationToken);
        return new MemoryStream(bytes.AsSpan().IndexOf((byte)0) >= 0 ? bytes : masker.Apply(bytes));
    }

    private const long SpoolSlackBytes = 16L * 1024 * 1024;

    /// <summary>Copies at most <paramref name="maxBytes"/> of the archive; false when there was more.</summary>
    private async Task<bool> SpoolAsync(ContainerHandle handle, string path, long maxBytes, CancellationToken cancellationToken)
    {
        await using var source = await engine.OpenArtifactsAsync(handle, cancellationToken) ?? Stream.Null;
        await using var file = File.Create(path);
        var buffer = new byte[81_920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (total + read > maxBytes)
            {
                return false;
            }

            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            total += read;
        }

        return true;
    }

    /// <summary>The next entry; a spool cut at the budget ends at its last whole entry.</summary>
    private static async Task<TarEntry?> NextAsync(TarReader tar, bool complete, CancellationToken cancellationToken)
    {
        try
        {
            return await tar.GetNextEntryAsync(copyData: false, cancellationToken);
        }
        catch (Exception e) when (!complete && e is EndOfStreamException or InvalidDataException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Docker names entries <c>./a/b</c>; anything that is not a plain relative path is ignored.</summary>
    private static string? SafePath(string name)
    {
        try
        {
            return BundleReader.SafePath(name);
        }
        catch (BundleRefusedException)
        {
            return null;
        }
    }
}
