using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Byot.Shared.Options;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Artifacts;

/// <summary>Run logs as append blobs, so a run's output can be read while it is still being written.</summary>
public sealed class BlobLogStore(BlobServiceClient blobs, IOptions<StorageOptions> options) : LogStore
{
    private BlobContainerClient Container => blobs.GetBlobContainerClient(options.Value.LogsContainer);

    public override async Task CreateAsync(string blobName, CancellationToken cancellationToken) =>
        await Container.GetAppendBlobClient(blobName).CreateAsync(
            new AppendBlobCreateOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/plain; charset=utf-8" } },
            cancellationToken);

    public override async Task DeleteAsync(string blobName, CancellationToken cancellationToken) =>
        await Container.GetAppendBlobClient(blobName).DeleteIfExistsAsync(cancellationToken: cancellationToken);

    public override async Task<long> OpenForAppendAsync(string blobName, CancellationToken cancellationToken)
    {
        var blob = Container.GetAppendBlobClient(blobName);
        await blob.CreateIfNotExistsAsync(
            new AppendBlobCreateOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/plain; charset=utf-8" } },
            cancellationToken);
        return (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ContentLength;
    }

    /// <summary>Each block is conditional on the position, so a block the client retried after the service had
    /// already written it (a lost reply, a timeout) is recognised and never written twice.</summary>
    public override async Task<long> AppendAsync(string blobName, ReadOnlyMemory<byte> content, long position, CancellationToken cancellationToken)
    {
        var blob = Container.GetAppendBlobClient(blobName);
        for (var offset = 0; offset < content.Length; offset += MaxAppendBytes)
        {
            var length = Math.Min(MaxAppendBytes, content.Length - offset);
            using var stream = new MemoryStream(content.Slice(offset, length).ToArray(), writable: false);
            try
            {
                await blob.AppendBlockAsync(
                    stream,
                    new AppendBlobAppendBlockOptions { Conditions = new AppendBlobRequestConditions { IfAppendPositionEqual = position } },
                    cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                var actual = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ContentLength;
                if (actual != position + length)
                {
                    throw;
                }
            }

            position += length;
        }

        return position;
    }

    public override async Task<Stream?> OpenReadAsync(string blobName, long offset, CancellationToken cancellationToken, long? length = null)
    {
        try
        {
            var response = await Container.GetBlobClient(blobName).DownloadStreamingAsync(
                new BlobDownloadOptions { Range = new HttpRange(offset, length) }, cancellationToken);
            return response.Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        catch (RequestFailedException e) when (e.Status == 416)
        {
            return Stream.Null;
        }
    }
}
