using System.Text.RegularExpressions;
using Byot.Shared.Artifacts;
using Byot.Shared.Options;
using Byot.Shared.Storage;
using Xunit;

namespace Byot.Tests.Deploy;

/// <summary>The README's blob layout table is the names the code makes, container by container, and nothing else.</summary>
public sealed partial class ReadmeBlobLayoutTests
{
    [Fact]
    public void README_blob_layout_lists_exactly_the_names_the_code_makes()
    {
        var readme = Repository.ReadText("README.md");
        var table = readme[readme.IndexOf("| Blob | What it holds |", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n\n", StringComparison.Ordinal)];
        var documented = table.Split('\n').Skip(2).Select(row => CodeSpan().Match(row).Groups[1].Value);

        Assert.Equal(NamesTheCodeMakes().Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    private static IEnumerable<string> NamesTheCodeMakes()
    {
        var storage = new StorageOptions();
        var testId = Guid.NewGuid();
        var runId = Guid.NewGuid();
        var uploadId = Guid.NewGuid();
        string Artifacts(string name) => storage.ArtifactsContainer + "/" + name
            .Replace(testId.ToString("D"), "{testId}", StringComparison.Ordinal)
            .Replace(runId.ToString("D"), "{runId}", StringComparison.Ordinal)
            .Replace(uploadId.ToString("N"), "{uploadId}", StringComparison.Ordinal);

        yield return Artifacts(ArtifactStore.BlobNameFor(testId, 1));
        yield return Hex32().Replace(Artifacts(ArtifactStore.NewVersionBlobName(testId)), "{nonce}");
        yield return Artifacts(StagingBlobs.NameFor(uploadId));
        yield return Artifacts(ArtifactStore.RunFileBlobName(runId, "{path}"));
        yield return storage.LogsContainer + "/" + RunStore.LogBlobName(runId).Replace(runId.ToString("D"), "{runId}", StringComparison.Ordinal);
    }

    [GeneratedRegex("[0-9a-f]{32}")]
    private static partial Regex Hex32();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();
}
