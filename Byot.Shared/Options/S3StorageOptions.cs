namespace Byot.Shared.Options;

/// <summary>The S3 backend (<c>Byot:Storage:Backend=S3</c>): AWS S3 or any S3-compatible server. The artifacts and
/// logs containers of <see cref="StorageOptions"/> are its bucket names.</summary>
public sealed class S3StorageOptions
{
    public const string Section = "Byot:Storage:S3";

    /// <summary>S3's own single PUT and CopyObject limit: direct uploads are one presigned PUT, copied once.</summary>
    public const long MaxSinglePutBytes = 5L * 1024 * 1024 * 1024;

    /// <summary>The server's URL (<c>http://127.0.0.1:9000</c> for MinIO, <c>https://&lt;account&gt;.r2.cloudflarestorage.com</c>);
    /// empty for AWS S3 itself, reached through <see cref="Region"/>.</summary>
    public string ServiceUrl { get; set; } = "";

    /// <summary>Signing region; <c>auto</c> for R2, <c>us-east-1</c> for MinIO unless it was given another.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Path-style URLs (<c>host/bucket/key</c>), as MinIO and most self-hosted servers need; false for
    /// virtual-host style (<c>bucket.host/key</c>), AWS's default.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>With <see cref="SecretKey"/>; both empty uses the SDK's default credential chain (environment,
    /// profile, instance or pod role).</summary>
    public string AccessKey { get; set; } = "";

    public string SecretKey { get; set; } = "";

    /// <summary>The URL clients reach for direct uploads when it differs from <see cref="ServiceUrl"/> (BYOT talks to
    /// MinIO inside a compose network, users reach it through a published port); empty: the same.</summary>
    public string PublicServiceUrl { get; set; } = "";

    internal const string Problem =
        "Byot:Storage:S3 is incomplete: Region is required (us-east-1 for MinIO, auto for R2); AccessKey and SecretKey go together " +
        "(both, or neither for the SDK's default credential chain); ServiceUrl and PublicServiceUrl are absolute http(s) URLs or empty.";

    internal bool IsValid() =>
        !string.IsNullOrWhiteSpace(Region)
        && string.IsNullOrEmpty(AccessKey) == string.IsNullOrEmpty(SecretKey)
        && IsUrlOrEmpty(ServiceUrl) && IsUrlOrEmpty(PublicServiceUrl);

    private static bool IsUrlOrEmpty(string value) =>
        value.Length == 0 || (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https");
}
