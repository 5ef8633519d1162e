using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using Byot.Shared.Options;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Artifacts;

/// <summary>The staging blobs of direct uploads: a client writes one through a short-lived, write-only SAS URL
/// for that blob alone; BYOT copies it to a name the client cannot write before it reads a byte of it.</summary>
public sealed class BlobStagingBlobs(BlobServiceClient blobs, IOptions<StorageOptions> options, IOptions<UploadOptions> uploads, TimeProvider time) : StagingBlobs
{
    private const int ReadBufferBytes = 4 * 1024 * 1024;

    private BlobContainerClient Container => blobs.GetBlobContainerClient(options.Value.ArtifactsContainer);

    public override string Protocol => AzureBlobBlocks;

    /// <summary>An empty committed blob, so that deleting it later also drops blocks a client put but never listed.</summary>
    public override async Task CreateAsync(string name, CancellationToken cancellationToken) =>
        await Container.GetBlockBlobClient(name).UploadAsync(Stream.Null, cancellationToken: cancellationToken);

    /// <summary>Signed with the account key when the connection string has one (Azurite, a key-based account);
    /// otherwise with a user delegation key of the app's identity, which needs the Storage Blob Delegator role.</summary>
    public override async Task<Uri> WriteUriAsync(string name, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var blob = Container.GetBlobClient(name);
        var sas = new BlobSasBuilder(BlobSasPermissions.Write, expiresAt)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };
        Uri signed;
        if (blob.CanGenerateSasUri)
        {
            signed = blob.GenerateSasUri(sas);
        }
        else
        {
            var key = await blobs.GetUserDelegationKeyAsync(time.GetUtcNow().AddMinutes(-5), expiresAt, cancellationToken);
            signed = new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key.Value, blobs.AccountName) }.ToUri();
        }

        // The signature covers the path and the query, not the host, so the URL may name the endpoint clients reach.
        return uploads.Value.PublicBlobEndpoint is { Length: > 0 } endpoint
            ? new Uri(new Uri(endpoint), signed.PathAndQuery)
            : signed;
    }

    /// <summary>The committed length, or null when the blob does not exist.</summary>
    public override async Task<long?> LengthAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return (await Container.GetBlobClient(name).GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ContentLength;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Blocks put so far, committed or not (what a resuming client may skip).</summary>
    public override async Task<IReadOnlyList<(string Id, long Size)>> BlocksAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var list = (await Container.GetBlockBlobClient(name).GetBlockListAsync(BlockListTypes.All, cancellationToken: cancellationToken)).Value;
            return [.. list.CommittedBlocks.Concat(list.UncommittedBlocks).Select(b => (b.Name, b.SizeLong))];
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }
    }

    /// <summary>Server-side copy inside the account; returns once the copy is complete.</summary>
    public override async Task CopyAsync(string source, string destination, CancellationToken cancellationToken)
    {
        var operation = await Container.GetBlobClient(destination).StartCopyFromUriAsync(Container.GetBlobClient(source).Uri, cancellationToken: cancellationToken);
        await operation.WaitForCompletionAsync(cancellationToken);
    }

    public override async Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken) =>
        await Container.GetBlobClient(name).OpenReadAsync(new BlobOpenReadOptions(allowModifications: false) { BufferSize = ReadBufferBytes }, cancellationToken);

    public override async Task DeleteAsync(string name, CancellationToken cancellationToken) =>
        await Container.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: cancellationToken);
}
