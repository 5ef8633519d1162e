using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Security;

/// <summary>The escape (docs/security.md): bundles whose entries are each harmless alone but together walk out of
/// /app, or take a name BYOT uses, are refused at upload with a 400 naming the entry, and nothing is stored.</summary>
public sealed class BundleEscapeUploadTests(ByotEnvironment environment) : ApiTestBase(environment)
{
    public static TheoryData<string, byte[], string> Refused => new()
    {
        { "chain.tar.gz", HostileBundles.ChainTarGz(), "Link 'a/b' points to '..'; link targets must be relative without '..'" },
        { "chain.zip", HostileBundles.ChainZip(), "Link 'a/b' points to '..'; link targets must be relative without '..'" },
        { "through-link.tar.gz", Bundles.TarGz(Bundles.Symlink("a", "."), Bundles.File("a/run", "x")), "lies under 'a', an earlier link" },
        { "through-link.zip", HostileBundles.Zip(HostileBundles.Link("a", "."), HostileBundles.File("a/run", "x")), "lies under 'a', an earlier link" },
        { "reserved.tar.gz", Bundles.TarGz(Bundles.Directory("lib/"), Bundles.Symlink(".artifacts", "lib")), "'.artifacts', which BYOT reserves" },
        { "reserved-file.zip", HostileBundles.Zip(HostileBundles.File(".artifacts/x", "x")), "'.artifacts', which BYOT reserves" },
        { "dir-replaced.tar.gz", Bundles.TarGz(Bundles.Directory("d/"), Bundles.File("d/f", "x"), Bundles.Symlink("d", "lib")), "Entry 'd' appears twice (first as a directory, then as a link)" },
        { "link-after-files.tar.gz", Bundles.TarGz(Bundles.File("x/a", "1"), Bundles.File("x/b", "2"), Bundles.Symlink("x", "y")), "Entry 'x' appears twice (first as a directory, then as a link)" },
        { "link-after-files.zip", HostileBundles.Zip(HostileBundles.File("x/a", "1"), HostileBundles.Link("x", "y")), "Entry 'x' appears twice (first as a directory, then as a link)" },
        { "link-to-link.tar.gz", Bundles.TarGz(Bundles.File("f", "x"), Bundles.Symlink("l1", "f"), Bundles.Symlink("l2", "l1")), "points to 'l1', another link" },
        { "link-before-its-target-link.zip", HostileBundles.Zip(HostileBundles.Link("l2", "l1"), HostileBundles.Link("l1", "f")), "Link 'l1' is the target of an earlier link" },
        { "link-through-link.tar.gz", Bundles.TarGz(Bundles.Directory("real/"), Bundles.File("real/f", "x"), Bundles.Symlink("d", "real"), Bundles.Symlink("g", "d/f")), "points through 'd', another link" },
        { "self-link.tar.gz", Bundles.TarGz(Bundles.Symlink("l", "l/x")), "goes through more than 40 links" },
        { "dotdot-inside.tar.gz", Bundles.TarGz(Bundles.Directory("lib/"), Bundles.File("run", "x"), Bundles.Symlink("lib/up", "../run")), "without '..'" },
        { "hardlink-out.tar.gz", Bundles.TarGz(HostileBundles.HardLink("h", "../../etc/shadow")), "without '..'" },
        { "hardlink-to-link.tar.gz", Bundles.TarGz(Bundles.File("f", "x"), Bundles.Symlink("s", "f"), HostileBundles.HardLink("h", "s")), "must point to an earlier regular file" },
        { "hardlink-through-link.tar.gz", Bundles.TarGz(Bundles.Directory("real/"), Bundles.File("real/f", "x"), Bundles.Symlink("d", "real"), HostileBundles.HardLink("h", "d/f")), "points through 'd', another link" },
        { "hardlink-then-replaced.tar.gz", Bundles.TarGz(Bundles.File("f", "x"), HostileBundles.HardLink("h", "f"), Bundles.Symlink("h", ".")), "Entry 'h' appears twice" },
        { "long-segment.tar.gz", Bundles.TarGz(Bundles.File(new string('s', 256), "x")), "name part longer than 255 bytes" },
        { "long-path.tar.gz", Bundles.TarGz(Bundles.File(string.Join('/', Enumerable.Repeat(new string('p', 200), 21)), "x")), "path longer than 4096 bytes" },
        { "control.tar.gz", Bundles.TarGz(Bundles.File("evil\u001b[2Jname", "x")), "control character in its name" },
        { "control.zip", HostileBundles.Zip(HostileBundles.File("line\nbreak", "x")), "control character in its name" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Hostile_bundle_is_400_naming_the_entry_and_stores_nothing(string fileName, byte[] bundle, string hint)
    {
        var response = await Api.UploadAsync(bundle, fileName, [("runtime", "go")]);

        Assert.True(response.Status == 400, response.ToString());
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        Assert.Equal("binary", response.Json.GetProperty("field").GetString());
        Assert.Contains(hint, response.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await Fixture.ArtifactBlobNamesAsync());
        Assert.Equal(0, await Fixture.ScalarAsync("SELECT count(*) FROM tests"));
    }

    [Fact]
    public async Task A_new_version_with_the_chain_is_refused_too_and_the_old_one_stays()
    {
        var id = await Api.UploadOkAsync(Bundles.TarGz(Bundles.File("run", "#!/bin/sh\n", Bundles.Executable)), "go", fileName: "ok.tar.gz");

        var response = await Api.UploadVersionAsync(id.ToString("D"), HostileBundles.ChainTarGz(), "chain.tar.gz");

        Assert.True(response.Status == 400, response.ToString());
        Assert.Contains("without '..'", response.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await Fixture.ScalarAsync("SELECT count(*) FROM test_artifacts WHERE test_id = @id", ("id", id)));
        await Api.DeleteTestAsync(id.ToString("D"));
        await Fixture.ScalarAsync("WITH d AS (DELETE FROM tests RETURNING 1) SELECT count(*) FROM d");
        foreach (var blob in await Fixture.ArtifactBlobNamesAsync())
        {
            await Fixture.Blobs.GetBlobContainerClient(Fixture.ArtifactsContainer).DeleteBlobIfExistsAsync(blob);
        }
    }

    [Fact]
    public async Task Links_inside_without_dotdot_or_chains_are_still_accepted()
    {
        var bundle = Bundles.TarGz(Bundles.Directory("lib/"), Bundles.File("lib/x.sh", "echo"), Bundles.Symlink("run", "lib/x.sh"), Bundles.Symlink("lib/same", "x.sh"), Bundles.Symlink("here", "."));

        var response = await Api.UploadAsync(bundle, "ok.tar.gz", [("runtime", "go")]);

        Assert.True(response.Status == 201, response.ToString());
        await Fixture.ScalarAsync("WITH d AS (DELETE FROM tests RETURNING 1) SELECT count(*) FROM d");
        await Fixture.Blobs.GetBlobContainerClient(Fixture.ArtifactsContainer).DeleteBlobAsync($"{response.Json.GetProperty("id").GetGuid():D}/v1/artifact");
    }
}
