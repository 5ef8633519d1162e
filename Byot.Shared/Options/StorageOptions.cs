using System.ComponentModel.DataAnnotations;

namespace Byot.Shared.Options;

public sealed class StorageOptions
{
    public const string Section = "Byot:Storage";

    /// <summary>Azure Storage connection string; <c>UseDevelopmentStorage=true</c> targets Azurite on 127.0.0.1.</summary>
    [Required]
    public string ConnectionString { get; set; } = "";

    [Required, RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    public string ArtifactsContainer { get; set; } = "artifacts";

    [Required, RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    public string LogsContainer { get; set; } = "logs";

    [Required, RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    public string RunsQueue { get; set; } = "byot-runs";

    [Required, RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    public string PoisonQueue { get; set; } = "byot-runs-poison";

    /// <summary>Create containers and queues at start when they are missing.</summary>
    public bool ProvisionOnStart { get; set; } = true;

    /// <summary>Where artifacts and logs live: <c>Blob</c> (Azure Blob storage, Azurite locally) or <c>S3</c>
    /// (<see cref="S3StorageOptions"/>). The queue is Azure Storage Queues either way.</summary>
    public StorageBackend Backend { get; set; } = StorageBackend.Blob;
}
