using System.Security.Cryptography;
using System.Text;
using Byot.Shared.Artifacts;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Storage;

/// <summary>One contract for every object storage backend (docs/deploy.md, "Storage backends"): the same tests run
/// against Azurite's Blob service and against a real S3-protocol server. What the rest of BYOT relies on: streamed
/// writes hashed on the way that leave nothing behind when refused, logs appended at byte offsets that a retry never
/// doubles and a reader can read from any offset while they grow, and the direct-upload staging path.</summary>
public abstract class StorageContractTests
{
    protected abstract ArtifactStore Artifacts { get; }

    protected abstract LogStore Logs { get; }

    protected abstract StagingBlobs Staging { get; }

    /// <summary>What the artifacts container holds, plus anything half-written a backend keeps (S3's open multipart
    /// uploads), so "nothing left" means nothing at all.</summary>
    protected abstract Task<IReadOnlyList<string>> LeftoversAsync(string prefix);

    /// <summary>Puts <paramref name="content"/> to a direct-upload URL the way a client does on this backend.</summary>
    protected abstract Task PutToUploadUrlAsync(Uri url, byte[] content);

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    [InlineData(21 * 1024 * 1024 + 17)]
    public async Task A_streamed_write_is_hashed_on_the_way_and_reads_back_whole(int size)
    {
        var content = RandomNumberGenerator.GetBytes(size);
        var name = ArtifactStore.BlobNameFor(Guid.NewGuid(), 1);

        var staged = await Artifacts.WriteAsync(name, new UnseekableStream(content), 64L * 1024 * 1024, CancellationToken.None);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), staged.Sha256);
        Assert.Equal(size, staged.SizeBytes);
        if (size == 0)
        {
            Assert.False(await Artifacts.ExistsAsync(name, CancellationToken.None));
            return;
        }

        Assert.True(await Artifacts.ExistsAsync(name, CancellationToken.None));
        await using (var read = await Artifacts.OpenReadAsync(name, CancellationToken.None))
        {
            Assert.Equal(content, await ReadAllAsync(read));
        }

        var file = Path.Combine(Path.GetTempPath(), "byot-contract-" + Guid.NewGuid().ToString("N"));
        try
        {
            await Artifacts.DownloadToFileAsync(name, file, CancellationToken.None);
            Assert.Equal(content, await File.ReadAllBytesAsync(file));
        }
        finally
        {
            File.Delete(file);
        }

        await Artifacts.DeleteAsync(name, CancellationToken.None);
        Assert.False(await Artifacts.ExistsAsync(name, CancellationToken.None));
        await Artifacts.DeleteAsync(name, CancellationToken.None);
    }

    [Fact]
    public async Task A_write_refused_past_the_limit_leaves_nothing_behind()
    {
        var testId = Guid.NewGuid();
        var name = ArtifactStore.BlobNameFor(testId, 1);
        var content = RandomNumberGenerator.GetBytes(30 * 1024 * 1024);

        await Assert.ThrowsAsync<ArtifactTooLargeException>(() =>
            Artifacts.WriteAsync(name, new UnseekableStream(content), 20L * 1024 * 1024, CancellationToken.None));

        Assert.False(await Artifacts.ExistsAsync(name, CancellationToken.None));
        Assert.Empty(await LeftoversAsync($"{testId:D}/"));
    }

    [Fact]
    public async Task Log_appends_read_back_from_any_offset_and_a_retried_append_is_not_written_twice()
    {
        var log = Guid.NewGuid().ToString("D") + ".log";
        Assert.Equal(0, await Logs.OpenForAppendAsync(log, CancellationToken.None));

        var first = await Logs.AppendAsync(log, "line 1\n"u8.ToArray(), 0, CancellationToken.None);
        var retried = await Logs.AppendAsync(log, "line 1\n"u8.ToArray(), 0, CancellationToken.None);
        var second = await Logs.AppendAsync(log, "line 2\nline 3\n"u8.ToArray(), retried, CancellationToken.None);

        Assert.Equal((7, 7, 21), (first, retried, second));
        Assert.Equal("line 1\nline 2\nline 3\n", await ReadAsync(log, 0));
        Assert.Equal("ne 2\nli", await ReadAsync(log, 9, 7));
        Assert.Equal("line 3\n", await ReadAsync(log, 14));
        Assert.Equal("", await ReadAsync(log, 21));
        Assert.Equal(21, await Logs.OpenForAppendAsync(log, CancellationToken.None));
    }

    [Fact]
    public async Task Different_bytes_at_a_stored_log_position_are_refused_and_the_log_is_unchanged()
    {
        var log = Guid.NewGuid().ToString("D") + ".log";
        await Logs.CreateAsync(log, CancellationToken.None);
        await Logs.AppendAsync(log, "abc\n"u8.ToArray(), 0, CancellationToken.None);

        await Assert.ThrowsAnyAsync<Exception>(() => Logs.AppendAsync(log, "something else\n"u8.ToArray(), 0, CancellationToken.None));

        Assert.Equal("abc\n", await ReadAsync(log, 0));
    }

    [Fact]
    public async Task A_log_larger_than_one_append_request_reads_back_across_the_boundaries()
    {
        var log = Guid.NewGuid().ToString("D") + ".log";
        await Logs.CreateAsync(log, CancellationToken.None);
        var big = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 600_000).Select(i => $"{i % 1_000_000:D7}\n")));
        Assert.True(big.Length > LogStore.MaxAppendBytes);

        var length = await Logs.AppendAsync(log, big, 0, CancellationToken.None);
        length = await Logs.AppendAsync(log, "tail\n"u8.ToArray(), length, CancellationToken.None);

        Assert.Equal(big.Length + 5, length);
        var across = LogStore.MaxAppendBytes - 3;
        Assert.Equal(Encoding.ASCII.GetString(big, across, 10), await ReadAsync(log, across, 10));
        Assert.Equal(Encoding.ASCII.GetString(big, big.Length - 8, 8) + "tail\n", await ReadAsync(log, big.Length - 8));
        Assert.Equal(length, await Logs.OpenForAppendAsync(log, CancellationToken.None));
    }

    [Fact]
    public async Task Creating_a_log_again_starts_it_empty()
    {
        var log = Guid.NewGuid().ToString("D") + ".log";
        await Logs.AppendAsync(log, "earlier attempt\n"u8.ToArray(), await Logs.OpenForAppendAsync(log, CancellationToken.None), CancellationToken.None);

        await Logs.CreateAsync(log, CancellationToken.None);

        Assert.Equal(0, await Logs.OpenForAppendAsync(log, CancellationToken.None));
        Assert.Equal("", await ReadAsync(log, 0));
    }

    [Fact]
    public async Task A_direct_upload_is_put_by_the_client_copied_read_and_removed()
    {
        var uploadId = Guid.NewGuid();
        var staging = StagingBlobs.NameFor(uploadId);
        var final = $"{Guid.NewGuid():D}/u{uploadId:N}/artifact";
        var content = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 5);
        await Staging.CreateAsync(staging, CancellationToken.None);
        var url = await Staging.WriteUriAsync(staging, DateTimeOffset.UtcNow.AddMinutes(10), CancellationToken.None);

        await PutToUploadUrlAsync(url, content);

        Assert.Equal(content.Length, await Staging.LengthAsync(staging, CancellationToken.None));
        await Staging.CopyAsync(staging, final, CancellationToken.None);
        await using (var read = await Staging.OpenReadAsync(final, CancellationToken.None))
        {
            Assert.Equal(content, await ReadAllAsync(read));
        }

        await Staging.DeleteAsync(staging, CancellationToken.None);
        await Artifacts.DeleteAsync(final, CancellationToken.None);
        Assert.Null(await Staging.LengthAsync(staging, CancellationToken.None));
        Assert.False(await Artifacts.ExistsAsync(final, CancellationToken.None));
    }

    private async Task<string> ReadAsync(string log, long offset, long? length = null)
    {
        await using var stream = await Logs.OpenReadAsync(log, offset, CancellationToken.None, length);
        return stream is null ? "" : Encoding.ASCII.GetString(await ReadAllAsync(stream));
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
