using System.Text;
using Byot.Shared.Artifacts;
using Byot.Shared.Domain;
using Byot.Shared.Options;
using Byot.Shared.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Uploads;

/// <summary>Creates a test from an upload: the file streams to Blob (hashed on the way), the fields are validated,
/// and only then the test row is written. Any refusal removes what was written.</summary>
public sealed partial class UploadService(
    ArtifactStore artifacts,
    TestStore tests,
    UnitOfWorkFactory units,
    IOptions<UploadOptions> options,
    IOptions<SchedulingOptions> scheduling,
    TimeProvider time,
    IOptions<LocationOptions> locations,
    ILogger<UploadService> logger)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public async Task<Guid> CreateTestAsync(IAsyncEnumerable<UploadPart> parts, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var parser = new UploadFieldParser(limits, scheduling.Value, time, locations.Value);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var testId = Guid.NewGuid();
        StagedArtifact? staged = null;
        string? fileName = null;
        try
        {
            await foreach (var part in parts.WithCancellation(cancellationToken))
            {
                if (!UploadFields.All.Contains(part.Name, StringComparer.Ordinal))
                {
                    throw P.InvalidField(part.Name, $"'{Clip(part.Name)}' is not a field of this upload; accepted fields: {string.Join(", ", UploadFields.All)}.", UploadFields.All);
                }

                if (part.Name != UploadFields.Binary)
                {
                    if (fields.ContainsKey(part.Name))
                    {
                        throw P.InvalidField(part.Name, $"'{part.Name}' was sent more than once; send it once.");
                    }

                    fields[part.Name] = await ReadFieldAsync(part, limits.MaxFieldBytes, cancellationToken);
                    continue;
                }

                if (staged is not null)
                {
                    throw P.InvalidField(UploadFields.Binary, "More than one file was sent; send exactly one 'binary' file.");
                }

                if (part.FileName is null)
                {
                    throw P.InvalidField(UploadFields.Binary, "'binary' must be a file part, for example curl -F \"binary=@./e2e/checkout.test\".");
                }

                parser.CheckPartial(fields);
                fileName = FileNames.Sanitize(part.FileName);
                try
                {
                    staged = await artifacts.WriteAsync(ArtifactStore.BlobNameFor(testId, 1), part.Content, limits.MaxArtifactBytes, cancellationToken);
                }
                catch (ArtifactTooLargeException e)
                {
                    throw P.TooLarge(e.LimitBytes);
                }

                if (staged.SizeBytes == 0)
                {
                    throw P.InvalidField(UploadFields.Binary, "The uploaded file is empty; upload the compiled test binary or script.");
                }

                await CheckBundleAsync(staged.BlobName, fileName, limits, cancellationToken);
            }

            if (staged is null || fileName is null)
            {
                throw P.MissingField(UploadFields.Binary, "No file was sent; add the test as a file part named 'binary' (curl -F \"binary=@./checkout.test\").");
            }

            var settings = parser.Parse(fields);
            var now = time.GetUtcNow();
            var test = settings.ToDefinition(testId, fileName, now);
            var artifact = new TestArtifact(testId, 1, staged.BlobName, staged.Sha256, staged.SizeBytes, fileName);
            await using (var unit = await units.BeginAsync(cancellationToken))
            {
                await tests.InsertAsync(unit, test, artifact, settings.Schedule, cancellationToken);
                await Catalog.DependencyCheck.CheckNewTestAsync(unit, test, UploadFields.DependsOn, cancellationToken);
                await unit.CommitAsync(cancellationToken);
            }

            LogCreated(testId, test.Runtime, staged.SizeBytes);
            return testId;
        }
        catch when (staged is { SizeBytes: > 0 })
        {
            await artifacts.DeleteAsync(staged.BlobName, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Uploads a new version of a test's artifact (one file part named <c>binary</c>) and makes it
    /// current. Returns the new version number.</summary>
    public async Task<int> AddVersionAsync(Guid testId, IAsyncEnumerable<UploadPart> parts, CancellationToken cancellationToken)
    {
        _ = await tests.FindAsync(testId, cancellationToken) ?? throw P.NotFound("test", testId);
        var limits = options.Value;
        StagedArtifact? staged = null;
        string? fileName = null;
        try
        {
            await foreach (var part in parts.WithCancellation(cancellationToken))
            {
                if (part.Name != UploadFields.Binary || part.FileName is null || staged is not null)
                {
                    throw P.InvalidField(part.Name, "Send exactly one file part named 'binary' and nothing else.", [UploadFields.Binary]);
                }

                fileName = FileNames.Sanitize(part.FileName);
                try
                {
                    staged = await artifacts.WriteAsync(ArtifactStore.NewVersionBlobName(testId), part.Content, limits.MaxArtifactBytes, cancellationToken);
                }
                catch (ArtifactTooLargeException e)
                {
                    throw P.TooLarge(e.LimitBytes);
                }

                if (staged.SizeBytes == 0)
                {
                    throw P.InvalidField(UploadFields.Binary, "The uploaded file is empty; upload the compiled test binary or script.");
                }

                await CheckBundleAsync(staged.BlobName, fileName, limits, cancellationToken);
            }

            if (staged is null || fileName is null)
            {
                throw P.MissingField(UploadFields.Binary, "No file was sent; add the new version as a file part named 'binary'.");
            }

            return await tests.AddArtifactVersionAsync(testId, staged.BlobName, staged.Sha256, staged.SizeBytes, fileName, cancellationToken)
                ?? throw P.NotFound("test", testId);
        }
        catch when (staged is { SizeBytes: > 0 })
        {
            await artifacts.DeleteAsync(staged.BlobName, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Reads a bundle through once, as the runner will unpack it, so a corrupt or escaping archive is refused
    /// now with a 400 instead of failing every run. It reads back from Blob: the upload itself stays a single stream.</summary>
    private async Task CheckBundleAsync(string blobName, string fileName, UploadOptions limits, CancellationToken cancellationToken)
    {
        var format = BundleFormats.Detect(fileName);
        if (format == BundleFormat.None)
        {
            return;
        }

        var path = Path.Combine(Path.GetTempPath(), $"byot-upload-{Guid.NewGuid():N}");
        try
        {
            await artifacts.DownloadToFileAsync(blobName, path, cancellationToken);
            await BundleReader.ReadAsync(
                path, format, new BundleLimits(limits.MaxBundleBytes, limits.MaxBundleEntries),
                static (_, _, _) => ValueTask.CompletedTask, cancellationToken);
        }
        catch (BundleRefusedException e)
        {
            throw P.InvalidField(UploadFields.Binary, $"'{fileName}' was refused: {e.Message}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<string> ReadFieldAsync(UploadPart part, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[maxBytes + 1];
        var length = 0;
        int read;
        while (length <= maxBytes && (read = await part.Content.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        if (length > maxBytes)
        {
            throw P.InvalidField(part.Name, $"'{part.Name}' is longer than {maxBytes} bytes.");
        }

        string value;
        try
        {
            value = StrictUtf8.GetString(buffer, 0, length);
        }
        catch (DecoderFallbackException)
        {
            throw P.InvalidField(part.Name, $"'{part.Name}' is not valid UTF-8 text.");
        }

        return value.Contains('\0', StringComparison.Ordinal)
            ? throw P.InvalidField(part.Name, $"'{part.Name}' contains a NUL character, which BYOT does not store.")
            : value;
    }

    private static string Clip(string value) => value.Length <= 40 ? value : value[..40] + "…";

    [LoggerMessage(Level = LogLevel.Information, Message = "Created test {TestId} ({Runtime}, {Bytes} bytes)")]
    private partial void LogCreated(Guid testId, string runtime, long bytes);
}
