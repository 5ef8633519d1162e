using Xunit;

namespace Byot.Tests.Security;

/// <summary>Tiny archives with huge headers (PAX values, GNU long names, link targets) and a zip claiming a million
/// entries are refused at upload from their headers, before anything that large is read into memory.</summary>
public sealed class BundleStarvationTests(ByotEnvironment environment) : ApiTestBase(environment)
{
    public static TheoryData<string, byte[], string> Refused => new()
    {
        { "pax.tar.gz", HostileBundles.HugePax(64 << 20), "tar metadata entry (type 'x'); the limit is 1048576 bytes" },
        { "gnu-name.tar.gz", HostileBundles.HugeGnuName(8 << 20), "tar metadata entry (type 'L'); the limit is 1048576 bytes" },
        { "link-target.tar.gz", HostileBundles.HugeLinkTarget(64 * 1024), "target with control characters or longer than 4096 bytes" },
        { "link-target.zip", HostileBundles.HugeZipLinkTarget(32 << 20), "has a target longer than 4096 bytes" },
        { "million.zip", HostileBundles.ZipClaiming(1_000_000), "declares 1000000 entries; the limit is 100000" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Tiny_archive_with_a_huge_header_is_400_and_stores_nothing(string fileName, byte[] bundle, string hint)
    {
        Assert.True(bundle.Length < 300_000, $"{fileName} is {bundle.Length} bytes");

        var response = await Api.UploadAsync(bundle, fileName, [("runtime", "go")]);

        Assert.True(response.Status == 400, response.ToString());
        Assert.Equal("binary", response.Json.GetProperty("field").GetString());
        Assert.Contains(hint, response.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await Fixture.ArtifactBlobNamesAsync());
        Assert.Equal(0, await Fixture.ScalarAsync("SELECT count(*) FROM tests"));
    }

    [Fact]
    public async Task Headers_count_against_the_unpacked_size_limit()
    {
        await using var small = new FunctionsClient(Fixture, new Dictionary<string, string?> { ["Byot:Upload:MaxBundleBytes"] = "200000" });

        // 900 KB of PAX records around a one-byte file: under the per-header cap, over the bundle's byte budget.
        var response = await new ByotApi(small).UploadAsync(HostileBundles.HugePax(900_000), "pax.tar.gz", [("runtime", "go")]);

        Assert.True(response.Status == 400, response.ToString());
        Assert.Contains("unpacks to more than 200000 bytes", response.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
