using Byot.Shared.Artifacts;
using Byot.Shared.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Storage.S3;

public static class S3ServiceCollectionExtensions
{
    /// <summary>The object storage seam (artifacts, logs, staging, containers) on the backend
    /// <c>Byot:Storage:Backend</c> names: Azure Blob (the default) or S3.</summary>
    public static IServiceCollection AddByotObjectStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<S3StorageOptions>().Bind(configuration.GetSection(S3StorageOptions.Section))
            .Validate<IOptions<StorageOptions>>((s3, storage) => storage.Value.Backend != StorageBackend.S3 || s3.IsValid(), S3StorageOptions.Problem)
            .ValidateOnStart();
        services.AddOptions<UploadOptions>()
            .Validate<IOptions<StorageOptions>>(
                (uploads, storage) => storage.Value.Backend != StorageBackend.S3 || uploads.MaxDirectArtifactBytes <= S3StorageOptions.MaxSinglePutBytes,
                "With Byot:Storage:Backend=S3, Byot:Upload:MaxDirectArtifactBytes can be at most 5 GiB (5368709120): a direct upload is one presigned PUT.")
            .ValidateOnStart();
        services.AddSingleton<S3Clients>();
        Add<ArtifactStore, BlobArtifactStore, S3ArtifactStore>(services);
        Add<LogStore, BlobLogStore, S3LogStore>(services);
        Add<StagingBlobs, BlobStagingBlobs, S3StagingBlobs>(services);
        Add<ObjectContainers, BlobObjectContainers, S3ObjectContainers>(services);
        return services;
    }

    private static void Add<TSeam, TBlob, TS3>(IServiceCollection services)
        where TSeam : class
        where TBlob : TSeam
        where TS3 : TSeam =>
        services.AddSingleton<TSeam>(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.Backend == StorageBackend.S3
            ? ActivatorUtilities.CreateInstance<TS3>(sp)
            : ActivatorUtilities.CreateInstance<TBlob>(sp));
}
