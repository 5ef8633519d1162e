using Xunit;

namespace Byot.Tests.Uploads;

/// <summary>Byot:Upload:PublicBlobEndpoint puts the endpoint clients reach into the SAS URL, and the URL still works.</summary>
public sealed class PublicBlobEndpointTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>
{
    private static readonly byte[] Script = "#!/bin/sh\necho public\n"u8.ToArray();

    [Fact]
    public async Task The_sas_url_names_the_public_endpoint_and_uploads_through_it()
    {
        await using var client = new FunctionsClient(environment, new Dictionary<string, string?> { ["Byot:Upload:PublicBlobEndpoint"] = "http://localhost:10000" });
        var direct = new DirectUploads(client);

        var (uploadId, _, url) = await DirectUploads.BeganAsync(direct.BeginTestAsync("""{"fileName": "p.sh", "runtime": "shell"}"""));
        await DirectUploads.PutAsync(url, Script);

        Assert.Equal("localhost", url.Host);
        Assert.Equal(201, (await direct.CommitAsync(uploadId.ToString(), DirectUploads.Sha256(Script), Script.Length)).Status);
    }
}
