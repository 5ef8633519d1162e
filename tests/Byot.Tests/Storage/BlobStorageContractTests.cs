using Azure.Storage.Blobs.Specialized;
using Byot.Shared.Artifacts;
using Byot.Shared.Options;
using Xunit;
using O = Microsoft.Extensions.Options.Options;

namespace Byot.Tests.Storage;

/// <summary>The storage contract on Azure Blob (Azurite).</summary>
public sealed class BlobStorageContractTests(ByotEnvironment environment) : StorageContractTests, IClassFixture<ByotEnvironment>
{
    private StorageOptions Options => new() { ArtifactsContainer = environment.ArtifactsContainer, LogsContainer = environment.LogsContainer };

    protected override ArtifactStore Artifacts => new BlobArtifactStore(environment.Blobs, O.Create(Options));

    protected override LogStore Logs => new BlobLogStore(environment.Blobs, O.Create(Options));

    protected override StagingBlobs Staging => new BlobStagingBlobs(environment.Blobs, O.Create(Options), O.Create(new UploadOptions()), TimeProvider.System);

    protected override async Task<IReadOnlyList<string>> LeftoversAsync(string prefix) =>
        [.. (await environment.ArtifactBlobNamesAsync()).Where(n => n.StartsWith(prefix, StringComparison.Ordinal))];

    protected override async Task PutToUploadUrlAsync(Uri url, byte[] content)
    {
        var blob = new BlockBlobClient(url);
        var ids = new List<string>();
        for (var offset = 0; offset < content.Length; offset += 1024 * 1024)
        {
            var id = Convert.ToBase64String(BitConverter.GetBytes(ids.Count));
            await blob.StageBlockAsync(id, new MemoryStream(content, offset, Math.Min(1024 * 1024, content.Length - offset)));
            ids.Add(id);
        }

        await blob.CommitBlockListAsync(ids);
    }
}
