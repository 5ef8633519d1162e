using System.ComponentModel.DataAnnotations;

namespace Byot.Shared.Options;

public sealed class UploadOptions
{
    public const string Section = "Byot:Upload";

    /// <summary>Largest artifact accepted through the one-call multipart upload. Keep FUNCTIONS_REQUEST_BODY_SIZE_LIMIT
    /// at twice this (docs/deploy.md), so a too-large upload meets BYOT's 413 rather than the host's empty 500.</summary>
    [Range(1, long.MaxValue)]
    public long MaxArtifactBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Largest plain form field (name, command, ...).</summary>
    /// <summary>Most bytes a .zip or .tar.gz bundle may unpack to; a bundle past it is refused at upload.</summary>
    [Range(1, long.MaxValue)]
    public long MaxBundleBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    [Range(1, 10_000_000)]
    public int MaxBundleEntries { get; set; } = 100_000;

    [Range(1, 1024 * 1024)]
    public int MaxFieldBytes { get; set; } = 16 * 1024;

    [Range(1, 86_400)]
    public int DefaultTimeoutSeconds { get; set; } = 30;

    [Range(1, 86_400)]
    public int MaxTimeoutSeconds { get; set; } = 3_600;

    [Range(1, 1_000)]
    public int DefaultFailureThreshold { get; set; } = 3;

    [Range(6, 1_048_576)]
    public int DefaultMemoryMb { get; set; } = 512;

    [Range(0.01, 64)]
    public double DefaultCpus { get; set; } = 1;

    /// <summary>A <c>playwright</c> test's CPU limit by default. Chromium runs its browser, renderer and GPU processes
    /// beside Playwright's node, about 1.4 cores on a developer's machine: under one CPU a browser suite is slower than
    /// where it was written, and its own timeouts start to flake.</summary>
    [Range(0.01, 64)]
    public double BrowserDefaultCpus { get; set; } = 2;

    /// <summary>Largest artifact accepted through the direct-to-storage path (POST /uploads, then commit).</summary>
    [Range(1, long.MaxValue)]
    public long MaxDirectArtifactBytes { get; set; } = 4L * 1024 * 1024 * 1024;

    /// <summary>How long a direct upload's write-only SAS URL lives; an upload not committed by then is swept.</summary>
    [Range(1, 7 * 24 * 60)]
    public int DirectUploadMinutes { get; set; } = 120;

    /// <summary>Scheme, host and port clients use to reach Blob storage, when that differs from the connection string's
    /// (compose: the app reaches <c>azurite:10000</c>, a client does not). Empty: the connection string's endpoint.</summary>
    [RegularExpression("^$|^https?://[^/?#]+/?$")]
    public string PublicBlobEndpoint { get; set; } = "";

    /// <summary>Largest memory limit a test may ask for, checked at upload and PATCH; set it to what your smallest
    /// runner can give, so a test is refused up front instead of failing on every run.</summary>
    [Range(6, 1_048_576)]
    public int MaxMemoryMb { get; set; } = 65_536;

    /// <summary>Most CPUs a test may ask for, checked at upload and PATCH.</summary>
    [Range(0.01, 1_024)]
    public double MaxCpus { get; set; } = 64;
}
