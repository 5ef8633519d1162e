using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Byot.Shared.Options;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Storage.S3;

/// <summary>The S3 clients BYOT uses: one that talks to the server, and one that only signs direct-upload URLs for
/// the endpoint clients reach (a presigned URL's signature covers its host, so it cannot be rewritten afterwards).</summary>
public sealed class S3Clients : IDisposable
{
    public S3Clients(IOptions<S3StorageOptions> options)
    {
        var o = options.Value;
        Server = Create(o, o.ServiceUrl);
        Signer = o.PublicServiceUrl.Length > 0 ? Create(o, o.PublicServiceUrl) : Server;
        SignsOverHttp = (o.PublicServiceUrl.Length > 0 ? o.PublicServiceUrl : o.ServiceUrl).StartsWith("http://", StringComparison.OrdinalIgnoreCase);
    }

    public IAmazonS3 Server { get; }

    public IAmazonS3 Signer { get; }

    public bool SignsOverHttp { get; }

    public void Dispose()
    {
        Server.Dispose();
        if (!ReferenceEquals(Signer, Server))
        {
            Signer.Dispose();
        }
    }

    private static AmazonS3Client Create(S3StorageOptions o, string serviceUrl)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = o.ForcePathStyle,
            // Checksums only where the API requires them: MinIO, Ceph, R2 and older servers refuse (or mis-store) the
            // trailing CRC checksums the SDK would otherwise add to every upload.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 3,
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (serviceUrl.Length > 0)
        {
            config.ServiceURL = serviceUrl;
            config.AuthenticationRegion = o.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(o.Region);
        }

        return o.AccessKey.Length > 0
            ? new AmazonS3Client(new BasicAWSCredentials(o.AccessKey, o.SecretKey), config)
            : new AmazonS3Client(config);
    }
}
