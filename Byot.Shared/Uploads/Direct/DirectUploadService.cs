using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Byot.Shared.Artifacts;
using Byot.Shared.Domain;
using Byot.Shared.Options;
using Byot.Shared.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P = Byot.Shared.Problems.Problem;
using X = Byot.Shared.Uploads.Direct.DirectUploadProblems;

namespace Byot.Shared.Uploads.Direct;

/// <summary>The direct-to-storage path for artifacts too large for one HTTP request: begin (fields validated, a
/// write-only SAS URL for a staging blob), the client puts the bytes to Blob storage itself, commit (size, sha256
/// and bundle safety checked on a copy the client cannot write, then the test or version in one transaction).
/// An upload never committed is swept when it expires, with its staging blob.</summary>
public sealed partial class DirectUploadService(
    DirectUploadStore uploads,
    TestStore tests,
    StagingBlobs staging,
    ArtifactStore artifacts,
    IOptions<UploadOptions> options,
    IOptions<SchedulingOptions> scheduling,
    IOptions<LocationOptions> locations,
    TimeProvider clock,
    ILogger<DirectUploadService> logger)
{
    /// <summary>What the CLI puts per block: 8 MiB keeps a 4 GiB artifact far below the 50,000-block limit.</summary>
    public const int BlockBytes = 8 * 1024 * 1024;

    /// <summary>Sweep only a while after expiry, so a SAS URL that Blob storage's clock still honours never recreates
    /// a staging blob that was already swept.</summary>
    public static readonly TimeSpan SweepGrace = TimeSpan.FromMinutes(5);

    private const int ReadBytes = 1024 * 1024;

    public async Task<DirectUploadTicket> BeginTestAsync(JsonElement body, CancellationToken cancellationToken)
    {
        var (fields, fileName, size) = DirectUploadRequest.ReadBegin(body, newTest: true);
        _ = new UploadFieldParser(options.Value, scheduling.Value, clock, locations.Value).Parse(fields);
        return await BeginAsync(DirectUploadKind.Test, Guid.NewGuid(), fields, fileName, size, cancellationToken);
    }

    public async Task<DirectUploadTicket> BeginVersionAsync(Guid testId, JsonElement body, CancellationToken cancellationToken)
    {
        var (fields, fileName, size) = DirectUploadRequest.ReadBegin(body, newTest: false);
        _ = await tests.FindAsync(testId, cancellationToken) ?? throw P.NotFound("test", testId);
        return await BeginAsync(DirectUploadKind.Version, testId, fields, fileName, size, cancellationToken);
    }

    public async Task<DirectUploadView> GetAsync(Guid uploadId, CancellationToken cancellationToken)
    {
        var upload = await FindOpenOrCommittedAsync(uploadId, cancellationToken);
        var blocks = upload.CommittedAt is null ? await staging.BlocksAsync(upload.StagingBlob, cancellationToken) : [];
        return new DirectUploadView(
            upload.Id, upload.TestId, upload.Kind == DirectUploadKind.Test ? "test" : "version",
            upload.CommittedAt is null ? (upload.ExpiresAt <= clock.GetUtcNow() ? "expired" : "open") : "committed",
            upload.ExpiresAt, upload.Version, [.. blocks.Select(b => new DirectUploadBlock(b.Id, b.Size))]);
    }

    public async Task<DirectCommitView> CommitAsync(Guid uploadId, JsonElement body, CancellationToken cancellationToken)
    {
        var upload = await FindOpenOrCommittedAsync(uploadId, cancellationToken);
        var (sha256, size) = DirectUploadRequest.ReadCommit(body);
        if (upload.CommittedAt is not null)
        {
            return Replay(upload.Id, upload.TestId, new DirectCommitResult(DirectCommitOutcome.AlreadyCommitted, upload.Version ?? 0, upload.Sha256, upload.SizeBytes ?? 0), sha256, size);
        }

        if (upload.ExpiresAt <= clock.GetUtcNow())
        {
            throw X.Expired(upload.Id, upload.ExpiresAt);
        }

        if (upload.Kind == DirectUploadKind.Version && await tests.FindAsync(upload.TestId, cancellationToken) is null)
        {
            await AbandonAsync(upload, cancellationToken);
            throw P.NotFound("test", upload.TestId);
        }

        var limit = options.Value.MaxDirectArtifactBytes;
        var staged = await staging.LengthAsync(upload.StagingBlob, cancellationToken) ?? 0;
        if (staged == 0)
        {
            throw X.NothingStaged(upload.Id);
        }

        if (staged > limit)
        {
            throw X.TooLarge(limit);
        }

        if (staged != size)
        {
            throw X.SizeMismatch(size, staged);
        }

        // Each attempt copies to its own name, so a second commit racing the first can never overwrite the bytes the
        // first one checked; the loser deletes its copy.
        var final = ArtifactStore.NewVersionBlobName(upload.TestId);
        var keep = false;
        try
        {
            await staging.CopyAsync(upload.StagingBlob, final, cancellationToken);
            await VerifyAsync(final, upload.FileName, sha256, size, cancellationToken);
            var result = await WriteAsync(upload, final, sha256, size, cancellationToken);
            switch (result.Outcome)
            {
                case DirectCommitOutcome.Committed:
                    keep = true;
                    await staging.DeleteAsync(upload.StagingBlob, CancellationToken.None);
                    LogCommitted(upload.Id, upload.TestId, result.Version, size);
                    return new DirectCommitView(upload.TestId, result.Version, sha256, size, Replayed: false,
                        upload.Kind == DirectUploadKind.Test ? "binary uploaded successfully" : "artifact version uploaded successfully");
                case DirectCommitOutcome.AlreadyCommitted:
                    return Replay(upload.Id, upload.TestId, result, sha256, size);
                case DirectCommitOutcome.Expired:
                    throw X.Expired(upload.Id, upload.ExpiresAt);
                case DirectCommitOutcome.TestGone:
                    await AbandonAsync(upload, CancellationToken.None);
                    throw P.NotFound("test", upload.TestId);
                default:
                    throw X.UnknownUpload(upload.Id);
            }
        }
        finally
        {
            if (!keep)
            {
                await artifacts.DeleteAsync(final, CancellationToken.None);
            }
        }
    }

    /// <summary>Removes expired uploads and their staging blobs, committed or not. Returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var expired = await uploads.ExpiredAsync(clock.GetUtcNow() - SweepGrace, 100, cancellationToken);
        foreach (var (id, blob) in expired)
        {
            await staging.DeleteAsync(blob, cancellationToken);
            await uploads.DeleteAsync(id, cancellationToken);
        }

        if (expired.Count > 0)
        {
            LogSwept(expired.Count);
        }

        return expired.Count;
    }

    private async Task<DirectUploadTicket> BeginAsync(
        DirectUploadKind kind, Guid testId, Dictionary<string, string> fields, string fileName, long? size, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxDirectArtifactBytes;
        if (size > limit)
        {
            throw X.TooLarge(limit);
        }

        var now = clock.GetUtcNow();
        var id = Guid.NewGuid();
        var upload = new DirectUpload(id, kind, testId, fields, fileName, StagingBlobs.NameFor(id), now.AddMinutes(options.Value.DirectUploadMinutes), now);
        await staging.CreateAsync(upload.StagingBlob, cancellationToken);
        var url = await staging.WriteUriAsync(upload.StagingBlob, upload.ExpiresAt, cancellationToken);
        await uploads.InsertAsync(upload, cancellationToken);
        LogBegun(id, kind, testId);
        return new DirectUploadTicket(id, testId, url, upload.ExpiresAt, limit, BlockBytes, $"/uploads/{id:D}/commit", staging.Protocol);
    }

    private async Task<DirectUpload> FindOpenOrCommittedAsync(Guid uploadId, CancellationToken cancellationToken)
    {
        return await uploads.FindAsync(uploadId, cancellationToken) ?? throw X.UnknownUpload(uploadId);
    }

    private async Task<DirectCommitResult> WriteAsync(DirectUpload upload, string blobName, string sha256, long size, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (upload.Kind == DirectUploadKind.Version)
        {
            return await uploads.CommitVersionAsync(upload.Id, now, upload.TestId, blobName, sha256, size, upload.FileName, cancellationToken);
        }

        var settings = new UploadFieldParser(options.Value, scheduling.Value, clock, locations.Value).Parse(upload.Fields);
        var test = settings.ToDefinition(upload.TestId, upload.FileName, now);
        var artifact = new TestArtifact(upload.TestId, 1, blobName, sha256, size, upload.FileName);
        return await uploads.CommitTestAsync(upload.Id, now, test, artifact, settings.Schedule,
            unit => Catalog.DependencyCheck.CheckNewTestAsync(unit, test, UploadFields.DependsOn, cancellationToken), cancellationToken);
    }

    /// <summary>Reads the copy once, streaming: its sha256 and length, and for a bundle every entry as the runner
    /// will unpack it (through a temporary file, since archives are read from disk, never from memory).</summary>
    private async Task VerifyAsync(string blobName, string fileName, string sha256, long size, CancellationToken cancellationToken)
    {
        var format = BundleFormats.Detect(fileName);
        var spool = format == BundleFormat.None ? null : Path.Combine(Path.GetTempPath(), $"byot-direct-{Guid.NewGuid():N}");
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBytes);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long total = 0;
            await using (var source = await staging.OpenReadAsync(blobName, cancellationToken))
            await using (var file = spool is null ? null : new FileStream(spool, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await source.ReadAsync(buffer.AsMemory(0, ReadBytes), cancellationToken)) > 0)
                {
                    total += read;
                    if (total > size)
                    {
                        break;
                    }

                    hash.AppendData(buffer, 0, read);
                    if (file is not null)
                    {
                        await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    }
                }
            }

            if (total != size)
            {
                throw X.SizeMismatch(size, total);
            }

            var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (actual != sha256)
            {
                throw X.Sha256Mismatch(sha256, actual);
            }

            if (spool is not null)
            {
                var limits = options.Value;
                await BundleReader.ReadAsync(
                    spool, format, new BundleLimits(limits.MaxBundleBytes, limits.MaxBundleEntries),
                    static (_, _, _) => ValueTask.CompletedTask, cancellationToken);
            }
        }
        catch (BundleRefusedException e)
        {
            throw P.InvalidField(DirectUploadRequest.FileName, $"'{fileName}' was refused: {e.Message}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (spool is not null)
            {
                File.Delete(spool);
            }
        }
    }

    private static DirectCommitView Replay(Guid uploadId, Guid testId, DirectCommitResult result, string sha256, long size) =>
        result.Sha256 == sha256 && result.SizeBytes == size
            ? new DirectCommitView(testId, result.Version, sha256, size, Replayed: true, "already committed")
            : throw X.CommittedDifferently(uploadId, result.Sha256 ?? "", result.SizeBytes);

    /// <summary>A version upload for a deleted test can never succeed: drop it now rather than at expiry.</summary>
    private async Task AbandonAsync(DirectUpload upload, CancellationToken cancellationToken)
    {
        await staging.DeleteAsync(upload.StagingBlob, cancellationToken);
        await uploads.DeleteAsync(upload.Id, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Direct upload {UploadId} begun ({Kind}, test {TestId})")]
    private partial void LogBegun(Guid uploadId, DirectUploadKind kind, Guid testId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Direct upload {UploadId} committed: test {TestId} version {Version}, {Bytes} bytes")]
    private partial void LogCommitted(Guid uploadId, Guid testId, int version, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Swept {Count} expired direct uploads")]
    private partial void LogSwept(int count);
}
