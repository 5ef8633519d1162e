using System.Formats.Tar;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Runner;

/// <summary>docs/reliability.md rows 1 and 3 for bundles, and the <c>image</c> field: refused at upload with a 400 naming
/// the field, and nothing stored.</summary>
public sealed class BundleUploadTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private FunctionsClient client = null!;
    private ByotApi api = null!;

    public Task InitializeAsync()
    {
        client = new FunctionsClient(environment, new Dictionary<string, string?> { ["Byot:Upload:MaxBundleBytes"] = "100000" });
        api = new ByotApi(client);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await client.DisposeAsync();

    public static TheoryData<string, byte[], string> Refused => new()
    {
        { "corrupt.zip", "PK\u0003\u0004 this is not really a zip file at all"u8.ToArray(), "not a readable .zip" },
        { "corrupt.tar.gz", [0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07], "not a readable .tar.gz" },
        { "truncated.tar.gz", Bundles.TarGz(Bundles.File("run", new string('x', 50_000)))[..200], "not a readable .tar.gz" },
        { "climb.tar.gz", Bundles.TarGz(Bundles.File("ok.txt", "fine"), Bundles.File("../../etc/cron.d/evil", "x")), "climbs out" },
        { "climb.zip", Bundles.Zip(("a/../../evil.sh", "x", Bundles.Executable)), "climbs out" },
        { "absolute.tar.gz", Bundles.TarGz(Bundles.File("/etc/passwd", "root::0:0")), "absolute path" },
        { "link-out.tar.gz", Bundles.TarGz(Bundles.Symlink("data", "../../../etc")), "outside the bundle" },
        { "link-abs.tar.gz", Bundles.TarGz(Bundles.Symlink("passwd", "/etc/passwd")), "outside the bundle" },
        { "device.tar.gz", Bundles.TarGz(new PaxTarEntry(TarEntryType.CharacterDevice, "null") { DeviceMajor = 1, DeviceMinor = 3 }), "files, directories and links only" },
        { "bomb.tar.gz", Bundles.TarGz(Bundles.File("a", new string('0', 60_000)), Bundles.File("b", new string('0', 60_000))), "more than 100000 bytes" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Unsafe_or_corrupt_bundle_is_400_and_stores_nothing(string fileName, byte[] bundle, string hint)
    {
        var response = await api.UploadAsync(bundle, fileName, [("runtime", "go")]);

        await AssertRefusedAsync(response, "binary", hint);
    }

    [Theory]
    [InlineData("image", null, "needs the image")]
    [InlineData("go", "byot-local/busybox:1", "only for runtime 'image'")]
    [InlineData("image", "UPPER/Case:1", "not an image reference")]
    [InlineData("image", "busybox:1; rm -rf /", "not an image reference")]
    public async Task Image_field_is_required_for_runtime_image_only_and_validated(string runtime, string? image, string hint)
    {
        var fields = new List<(string, string)> { ("runtime", runtime) };
        if (image is not null)
        {
            fields.Add(("image", image));
        }

        var response = await api.UploadAsync("#!/bin/sh\n"u8.ToArray(), "t.sh", fields);

        await AssertRefusedAsync(response, "image", hint);
    }

    [Fact]
    public async Task Safe_bundle_with_an_inside_link_is_accepted()
    {
        var bundle = Bundles.TarGz(Bundles.Directory("lib/"), Bundles.File("lib/x.sh", "echo"), Bundles.Symlink("run", "lib/x.sh"), Bundles.Symlink("lib/up", "x.sh"));

        var response = await api.UploadAsync(bundle, "ok.tar.gz", [("runtime", "go")]);

        Assert.True(response.Status == 201, response.ToString());
        await environment.ScalarAsync("WITH d AS (DELETE FROM tests RETURNING 1) SELECT count(*) FROM d");
        await environment.Blobs.GetBlobContainerClient(environment.ArtifactsContainer).DeleteBlobAsync($"{response.Json.GetProperty("id").GetGuid():D}/v1/artifact");
    }

    private async Task AssertRefusedAsync(TestResponse response, string field, string hint)
    {
        Assert.True(response.Status == 400, response.ToString());
        Assert.Equal(field, response.Json.GetProperty("field").GetString());
        Assert.Contains(hint, response.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await environment.ArtifactBlobNamesAsync());
        Assert.Equal(0, await environment.ScalarAsync("SELECT count(*) FROM tests"));
    }
}
