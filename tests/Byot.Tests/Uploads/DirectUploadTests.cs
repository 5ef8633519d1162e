using Azure;
using Azure.Storage.Blobs.Specialized;
using Byot.Functions.Timers;
using Byot.Shared.Uploads.Direct;
using Byot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Byot.Tests.Uploads;

/// <summary>The direct-to-storage path on real Azurite and Postgres: begin, put blocks with the SAS URL only,
/// commit; every refusal leaves no test, no version and no artifact blob behind.</summary>
public sealed class DirectUploadTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private static readonly byte[] Script = "#!/bin/sh\necho direct\n"u8.ToArray();

    // Starts at the real time: Blob storage checks the SAS expiry, which comes from this clock, against its own.
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private FunctionsClient client = null!;
    private DirectUploads direct = null!;

    public Task InitializeAsync()
    {
        client = new FunctionsClient(environment, new Dictionary<string, string?> { ["Byot:Upload:DirectUploadMinutes"] = "30" },
            services => services.AddSingleton<TimeProvider>(time));
        direct = new DirectUploads(client);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await client.DisposeAsync();

    [Fact]
    public async Task A_new_test_goes_through_begin_put_blocks_and_commit()
    {
        var (uploadId, testId, url) = await DirectUploads.BeganAsync(direct.BeginTestAsync("""
            {"fileName": "checkout.sh", "runtime": "shell", "severity": "P1", "timeout": 45, "name": "direct-checkout"}
            """));
        await DirectUploads.PutAsync(url, Script);

        var commit = await direct.CommitAsync(uploadId.ToString(), DirectUploads.Sha256(Script), Script.Length);

        Assert.True(commit.Status == 201, commit.ToString());
        Assert.Equal(testId, commit.Json.GetProperty("id").GetGuid());
        Assert.Equal(1, commit.Json.GetProperty("artifactVersion").GetInt32());
        var test = await new ByotApi(client).GetTestAsync(testId.ToString());
        Assert.Equal("direct-checkout", test.Json.GetProperty("name").GetString());
        Assert.Equal(45, test.Json.GetProperty("timeoutSeconds").GetInt32());
        Assert.Equal(DirectUploads.Sha256(Script), await ArtifactShaAsync(testId));
        var blob = Assert.Single(await environment.ArtifactBlobNamesAsync(), n => n.StartsWith($"{testId:D}/", StringComparison.Ordinal));
        Assert.Equal(Script, (await environment.Blobs.GetBlobContainerClient(environment.ArtifactsContainer).GetBlobClient(blob).DownloadContentAsync()).Value.Content.ToArray());
        Assert.DoesNotContain(await environment.ArtifactBlobNamesAsync(), n => n == StagingBlobName(uploadId));
    }

    [Fact]
    public async Task The_sas_url_writes_one_staging_blob_and_reads_nothing()
    {
        var (_, _, url) = await DirectUploads.BeganAsync(direct.BeginTestAsync("""{"fileName": "a.sh", "runtime": "shell"}"""));

        var read = await Assert.ThrowsAsync<RequestFailedException>(() => new BlockBlobClient(url).DownloadContentAsync());
        Assert.Equal(403, read.Status);
        var other = new UriBuilder(url) { Path = url.AbsolutePath.Replace("/staging/", "/staging/x", StringComparison.Ordinal) }.Uri;
        var write = await Assert.ThrowsAsync<RequestFailedException>(() => new BlockBlobClient(other).UploadAsync(new MemoryStream(Script)));
        Assert.Equal(403, write.Status);
    }

    [Fact]
    public async Task Committing_twice_answers_the_same_and_creates_one_test()
    {
        var (uploadId, testId, url) = await DirectUploads.BeganAsync(direct.BeginTestAsync("""{"fileName": "twice.sh", "runtime": "shell"}"""));
        await DirectUploads.PutAsync(url, Script);

        var first = await direct.CommitAsync(uploadId.ToString(), DirectUploads.Sha256(Script), Script.Length);
        var second = await direct.CommitAsync(uploadId.ToString(), DirectUploads.Sha256(Script), Script.Length);
        var different = await direct.CommitAsync(uploadId.ToString(), new string('0', 64), Script.Length);

        Assert.Equal(201, first.Status);
        Assert.True(second.Status == 200, second.ToString());
        Assert.True(second.Json.GetProperty("replayed").GetBoolean());
        Assert.Equal(testId, second.Json.GetProperty("id").GetGuid());
        Assert.Equal(409, different.Status);
        Assert.Equal(1, await environment.ScalarAsync("SELECT count(*) FROM tests WHERE id = @id", ("id", testId)));
        Assert.Equal(1, await environment.ScalarAsync("SELECT count(*) FROM test_artifacts WHERE test_id = @id", ("id", testId)));
        Assert.Single(await environment.ArtifactBlobNamesAsync(), n => n.StartsWith($"{testId:D}/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rewriting_the_staging_blob_after_commit_does_not_change_the_artifact()
    {
        var (uploadId, testId, url) = await DirectUploads.BeganAsync(direct.BeginTestAsync("""{"fileName": "kept.sh", "runtime": "shell"}"""));
        await DirectUploads.PutAsync(url, Script);
        Assert.Equal(201, (await direct.CommitAsync(uploadId.ToString(), DirectUploads.Sha256(Script), Script.Length)).Status);

        await DirectUploads.PutAsync(url, "#!/bin/sh\necho swapped\n"u8.ToArray());

        var blob = Assert.Single(await environment.ArtifactBlobNamesAsync(), n => n.StartsWith($"{testId:D}/", StringComparison.Ordinal));
        var stored = (await environment.Blobs.GetBlobContainerClient(environment.ArtifactsContainer).GetBlobClient(blob).DownloadContentAsync()).Value.Content.ToArray();
        Assert.Equal(Script, stored);
    }

    [Theory]
    [InlineData("sha256")]
    [InlineData("size")]
    public async Task A_wrong_sha256_or_size_is_refused_and_creates_nothing(string wrong)
    {
        var (uploadId, testId, url) = await DirectUploads.BeganAsync(direct.BeginTestAsync("""{"fileName": "wrong.sh", "runtime": "shell"}"""));
        await DirectUploads.PutAsync(url, Script);

        var commit = wrong == "sha256"
            ? await direct.CommitAsync(uploadId.ToString(), DirectUploads.Sha256("other"u8.ToArray()), Script.Length)
            : await direct.CommitAsync(uploadId.ToString(), DirectUploads.Sha256(Script), Script.Length + 1);

        Assert.Equal(400, commit.Status);
        Assert.StartsWith("application/problem+json", commit.ContentType, StringComparison.Ordinal);
        Assert.Equal(wrong == "sha256" ? "sha256" : "sizeBytes", commit.Json.GetProperty("field").GetString());
        await AssertNothingCreatedAsync(testId);

        // The upload stays open: the right commit still works.
        Assert.Equal(201, (await direct.CommitAsync(uploadId.ToString(), DirectUploads.Sha256(Script), Script.Length)).Status);
    }

    [Fact]
    public async Task A_bundle_that_climbs_out_of_app_is_refused_and_creates_nothing()
    {
        var bundle = Bundles.Zip(("../escape.sh", "echo out", Bundles.Executable));
        var (uploadId, testId, url) = await DirectUploads.BeganAsync(direct.BeginTestAsync("""{"fileName": "suite.zip", "runtime": "shell"}"""));
        await DirectUploads.PutAsync(url, bundle);

        var commit = await direct.CommitAsync(uploadId.ToString(), DirectUploads.Sha256(bundle), bundle.Length);

        Assert.Equal(400, commit.Status);
        Assert.Equal("fileName", commit.Json.GetProperty("field").GetString());
        Assert.Contains("..", commit.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNothingCreatedAsync(testId);
    }

    [Fact]
    public async Task Nothing_put_yet_is_409_and_bad_fields_are_refused_before_anything_is_stored()
    {
        var (uploadId, testId, _) = await DirectUploads.BeganAsync(direct.BeginTestAsync("""{"fileName": "empty.sh", "runtime": "shell"}"""));
        var empty = await direct.CommitAsync(uploadId.ToString(), DirectUploads.Sha256(Script), Script.Length);
        Assert.Equal(409, empty.Status);
        await AssertNothingCreatedAsync(testId);

        var before = await environment.ScalarAsync("SELECT count(*) FROM direct_uploads");
        var badRuntime = await direct.BeginTestAsync("""{"fileName": "x.sh", "runtime": "cobol"}""");
        var noFile = await direct.BeginTestAsync("""{"runtime": "shell"}""");
        var tooBig = await direct.BeginTestAsync("""{"fileName": "x.sh", "runtime": "shell", "sizeBytes": 99999999999999}""");
        var unknown = await direct.BeginTestAsync("""{"fileName": "x.sh", "runtime": "shell", "binary": "x"}""");

        Assert.Equal((400, "runtime"), (badRuntime.Status, badRuntime.Json.GetProperty("field").GetString()));
        Assert.Equal((400, "fileName"), (noFile.Status, noFile.Json.GetProperty("field").GetString()));
        Assert.Equal((413, "sizeBytes"), (tooBig.Status, tooBig.Json.GetProperty("field").GetString()));
        Assert.Equal((400, "binary"), (unknown.Status, unknown.Json.GetProperty("field").GetString()));
        Assert.Equal(before, await environment.ScalarAsync("SELECT count(*) FROM direct_uploads"));
    }

    [Fact]
    public async Task An_abandoned_upload_expires_and_the_sweep_removes_its_staging_blob_and_row()
    {
        var (uploadId, testId, url) = await DirectUploads.BeganAsync(direct.BeginTestAsync("""{"fileName": "gone.sh", "runtime": "shell"}"""));
        await new BlockBlobClient(url).StageBlockAsync(Convert.ToBase64String("00000000"u8), new MemoryStream(Script));
        await DirectUploads.PutAsync(url, Script);
        var sweep = client.Function<UploadFunctions>();

        time.Advance(TimeSpan.FromMinutes(30));
        var late = await direct.CommitAsync(uploadId.ToString(), DirectUploads.Sha256(Script), Script.Length);
        await sweep.Sweep(null!, CancellationToken.None);
        Assert.Equal(410, late.Status);
        Assert.Contains(StagingBlobName(uploadId), await environment.ArtifactBlobNamesAsync());

        time.Advance(DirectUploadService.SweepGrace + TimeSpan.FromSeconds(1));
        await sweep.Sweep(null!, CancellationToken.None);

        Assert.DoesNotContain(StagingBlobName(uploadId), await environment.ArtifactBlobNamesAsync());
        Assert.Equal(0, await environment.ScalarAsync("SELECT count(*) FROM direct_uploads WHERE id = @id", ("id", uploadId)));
        Assert.Equal(404, (await direct.CommitAsync(uploadId.ToString(), DirectUploads.Sha256(Script), Script.Length)).Status);
        await AssertNothingCreatedAsync(testId);
    }

    [Fact]
    public async Task A_new_version_commits_once_and_a_deleted_test_gets_none()
    {
        var api = new ByotApi(client);
        var testId = await api.UploadOkAsync(Script, "shell");
        var (uploadId, versionTest, url) = await DirectUploads.BeganAsync(direct.BeginVersionAsync(testId.ToString(), """{"fileName": "v2.sh"}"""));
        var v2 = "#!/bin/sh\necho v2\n"u8.ToArray();
        await DirectUploads.PutAsync(url, v2);
        Assert.Equal(testId, versionTest);

        var commit = await direct.CommitAsync(uploadId.ToString(), DirectUploads.Sha256(v2), v2.Length);
        var again = await direct.CommitAsync(uploadId.ToString(), DirectUploads.Sha256(v2), v2.Length);

        Assert.True(commit.Status == 201, commit.ToString());
        Assert.Equal(2, commit.Json.GetProperty("artifactVersion").GetInt32());
        Assert.Equal(2, again.Json.GetProperty("artifactVersion").GetInt32());
        Assert.Equal(2, await environment.ScalarAsync("SELECT count(*) FROM test_artifacts WHERE test_id = @id", ("id", testId)));

        var (orphanId, _, orphanUrl) = await DirectUploads.BeganAsync(direct.BeginVersionAsync(testId.ToString(), """{"fileName": "v3.sh"}"""));
        await DirectUploads.PutAsync(orphanUrl, Script);
        Assert.Equal(204, (await api.DeleteTestAsync(testId.ToString())).Status);

        var orphan = await direct.CommitAsync(orphanId.ToString(), DirectUploads.Sha256(Script), Script.Length);

        Assert.Equal(404, orphan.Status);
        Assert.Equal(2, await environment.ScalarAsync("SELECT count(*) FROM test_artifacts WHERE test_id = @id", ("id", testId)));
        Assert.Equal(2, await environment.ScalarAsync("SELECT artifact_version FROM tests WHERE id = @id", ("id", testId)));
        Assert.DoesNotContain(StagingBlobName(orphanId), await environment.ArtifactBlobNamesAsync());
        Assert.Equal(0, await environment.ScalarAsync("SELECT count(*) FROM direct_uploads WHERE id = @id", ("id", orphanId)));

        // Deleting the test removed its two artifacts; the refused commit's copy is gone too.
        Assert.DoesNotContain(await environment.ArtifactBlobNamesAsync(), n => n.StartsWith($"{testId:D}/", StringComparison.Ordinal));
    }

    private static string StagingBlobName(Guid uploadId) => $"staging/{uploadId:N}";

    private async Task<string?> ArtifactShaAsync(Guid testId)
    {
        await using var command = environment.DataSource.CreateCommand("SELECT sha256 FROM test_artifacts WHERE test_id = @id");
        command.Parameters.AddWithValue("id", testId);
        return await command.ExecuteScalarAsync() as string;
    }

    private async Task AssertNothingCreatedAsync(Guid testId)
    {
        Assert.Equal(0, await environment.ScalarAsync("SELECT count(*) FROM tests WHERE id = @id", ("id", testId)));
        Assert.Equal(0, await environment.ScalarAsync("SELECT count(*) FROM test_artifacts WHERE test_id = @id", ("id", testId)));
        Assert.DoesNotContain(await environment.ArtifactBlobNamesAsync(), n => n.StartsWith($"{testId:D}/", StringComparison.Ordinal));
    }
}
