using Amazon.S3;
using Amazon.S3.Model;
using Byot.Shared.Artifacts;
using Byot.Shared.Options;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Storage.S3;

/// <summary>Direct uploads on S3: the client PUTs the whole file to a presigned URL for one staging key (valid for
/// PUT of that key only, until the upload expires); BYOT then copies it server-side to a key the client cannot write.</summary>
public sealed class S3StagingBlobs(S3Clients clients, IOptions<StorageOptions> options) : StagingBlobs
{
    private const int ReadBufferBytes = 4 * 1024 * 1024;

    private string Bucket => options.Value.ArtifactsContainer;

    public override string Protocol => S3PresignedPut;

    /// <summary>Nothing to create: the client's PUT creates the object, and until then the upload has nothing staged.</summary>
    public override Task CreateAsync(string name, CancellationToken cancellationToken) => Task.CompletedTask;

    public override async Task<Uri> WriteUriAsync(string name, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        new(await clients.Signer.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = Bucket, Key = name, Verb = HttpVerb.PUT, Expires = expiresAt.UtcDateTime,
            Protocol = clients.SignsOverHttp ? Amazon.S3.Protocol.HTTP : Amazon.S3.Protocol.HTTPS,
        }));

    public override async Task<long?> LengthAsync(string name, CancellationToken cancellationToken) =>
        await S3Objects.LengthAsync(clients.Server, Bucket, name, cancellationToken);

    public override Task<IReadOnlyList<(string Id, long Size)>> BlocksAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<(string Id, long Size)>>([]);

    public override async Task CopyAsync(string source, string destination, CancellationToken cancellationToken) =>
        await clients.Server.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = Bucket, SourceKey = source, DestinationBucket = Bucket, DestinationKey = destination,
        }, cancellationToken);

    public override async Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken) =>
        new BufferedStream(await S3Objects.OpenReadAsync(clients.Server, Bucket, name, cancellationToken), ReadBufferBytes);

    public override async Task DeleteAsync(string name, CancellationToken cancellationToken) =>
        await S3Objects.DeleteAsync(clients.Server, Bucket, name, cancellationToken);
}
