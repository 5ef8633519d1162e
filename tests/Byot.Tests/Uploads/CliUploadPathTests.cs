using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Storage.Blobs.Specialized;
using Byot.Cli.Api;
using Byot.Cli.Bundling;
using Byot.Tests.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Byot.Tests.Uploads;

/// <summary>Which path <c>byot push</c> takes: a small file as one multipart request sent chunked (never with a
/// Content-Length, which the Functions host would buffer whole), a large one straight to Blob storage, resumed
/// when the same push is run again.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CliUploadPathTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>
{
    [Fact]
    public async Task A_small_push_is_one_multipart_request_sent_chunked_without_a_content_length()
    {
        var seen = new List<(string? TransferEncoding, long? ContentLength, string? ContentType, long Bytes)>();
        await using var app = await RecordingServerAsync(seen);
        using var cli = new CliDriver(app.Urls.Single(), "any-key");
        var script = cli.Write("small.sh", "#!/bin/sh\necho small\n");

        var push = await cli.RunAsync("push", script, "--runtime", "shell");

        Assert.True(push.ExitCode == 0, push.ToString());
        var request = Assert.Single(seen);
        Assert.Equal("chunked", request.TransferEncoding);
        Assert.Null(request.ContentLength);
        Assert.StartsWith("multipart/form-data", request.ContentType, StringComparison.Ordinal);
        Assert.True(request.Bytes > new FileInfo(script).Length);
    }

    [Fact]
    public async Task A_push_above_the_threshold_goes_straight_to_storage_and_creates_the_test()
    {
        await using var server = await CliServer.StartAsync(environment);
        using var cli = new CliDriver(server.Url, CliServer.Key);
        var file = WriteRandom(cli, "big.test", (9 * 1024 * 1024) + 123);

        var push = await cli.RunAsync("--json", "push", file, "--runtime", "go", "--direct-above", "1048576");

        Assert.True(push.ExitCode == 0, push.ToString());
        var id = JsonDocument.Parse(push.Out).RootElement.GetProperty("id").GetGuid();
        Assert.Equal(new FileInfo(file).Length, await environment.ScalarAsync("SELECT size_bytes FROM test_artifacts WHERE test_id = @id", ("id", id)));
        Assert.Equal(1, await environment.ScalarAsync(
            "SELECT count(*) FROM test_artifacts WHERE test_id = @id AND sha256 = @sha", ("id", id), ("sha", Sha256(file))));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(cli.ConfigDirectory, "uploads")));
    }

    [Fact]
    public async Task Running_the_same_push_again_resumes_the_unfinished_upload()
    {
        await using var server = await CliServer.StartAsync(environment);
        using var cli = new CliDriver(server.Url, CliServer.Key);
        var file = WriteRandom(cli, "resume.test", (17 * 1024 * 1024) + 5);
        using var bundle = await Bundler.CreateAsync(file, CancellationToken.None);
        (string, string)[] fields = [("runtime", "go"), ("severity", "P2")];

        // What an interrupted push leaves: an open upload, its state file, and the first two blocks put.
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        http.DefaultRequestHeaders.Add("x-functions-key", CliServer.Key);
        using var begun = await http.PostAsJsonAsync("uploads", new { runtime = "go", severity = "P2", fileName = bundle.FileName, sizeBytes = bundle.Length });
        var ticket = JsonDocument.Parse(await begun.Content.ReadAsStringAsync()).RootElement;
        Assert.True(begun.IsSuccessStatusCode, ticket.ToString());
        var state = new DirectUploadState(
            ticket.GetProperty("uploadId").GetGuid(), new Uri(ticket.GetProperty("uploadUrl").GetString()!),
            ticket.GetProperty("expiresAt").GetDateTimeOffset(), ticket.GetProperty("blockBytes").GetInt32());
        var statePath = DirectUploadState.PathFor(cli.ConfigDirectory, new Uri(server.Url.TrimEnd('/') + "/"), UploadRoute.NewTest, bundle, fields);
        state.Save(statePath);
        var bytes = await File.ReadAllBytesAsync(file);
        var blob = new BlockBlobClient(state.UploadUrl);
        for (var i = 0; i < 2; i++)
        {
            await blob.StageBlockAsync(DirectUploader.BlockId(i), new MemoryStream(bytes, i * state.BlockBytes, state.BlockBytes));
        }

        var push = await cli.RunAsync("--json", "push", file, "--runtime", "go", "--direct-above", "1048576");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains($"resuming upload {state.UploadId}: 2 of 3 blocks already uploaded", push.Error, StringComparison.Ordinal);
        var id = JsonDocument.Parse(push.Out).RootElement.GetProperty("id").GetGuid();
        Assert.Equal(ticket.GetProperty("testId").GetGuid(), id);
        Assert.Equal(1, await environment.ScalarAsync(
            "SELECT count(*) FROM test_artifacts WHERE test_id = @id AND sha256 = @sha", ("id", id), ("sha", Sha256(file))));
        Assert.False(File.Exists(statePath));
    }

    private static async Task<WebApplication> RecordingServerAsync(List<(string?, long?, string?, long)> seen)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/uploadBinary", async (HttpContext context) =>
        {
            var counted = 0L;
            var buffer = new byte[81920];
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
            {
                counted += read;
            }

            lock (seen)
            {
                seen.Add((context.Request.Headers.TransferEncoding.ToString(), context.Request.ContentLength, context.Request.ContentType, counted));
            }

            context.Response.StatusCode = 201;
            await context.Response.WriteAsJsonAsync(new { id = Guid.NewGuid(), message = "binary uploaded successfully" });
        });
        await app.StartAsync();
        return app;
    }

    private static string WriteRandom(CliDriver cli, string name, int length)
    {
        var path = Path.Combine(cli.Directory, name);
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
