using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Storage.Blobs;
using Byot.Functions;
using Byot.Shared.Uploads.Direct;
using Microsoft.Extensions.DependencyInjection;

namespace Byot.Bench;

/// <summary>A large artifact through the direct path (begin, the SDK's block upload to the SAS URL, commit) against
/// the SDK's plain block upload of the same file with the account key, in the same run. RSS growth is this process's
/// during the commit, the part the Functions worker does.</summary>
internal static class UploadDirectBench
{
    public static async Task<BenchLine> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var megabytes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1024;
        await using var environment = await BenchEnvironment.CreateAsync(cancellationToken);
        var work = Directory.CreateTempSubdirectory("byot-upload-direct-bench");
        try
        {
            var data = Path.Combine(work.FullName, "artifact.bin");
            var sha256 = await WriteAsync(data, megabytes, cancellationToken);
            var size = new FileInfo(data).Length;
            var services = new ServiceCollection().AddLogging().AddByotHttp(environment.Configuration()).BuildServiceProvider();
            await using (services)
            {
                var uploads = services.GetRequiredService<DirectUploadService>();
                var container = services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(environment.Configuration()["Byot:Storage:ArtifactsContainer"]);

                GC.Collect();
                var baselineClock = Stopwatch.StartNew();
                await container.GetBlobClient("baseline/" + Guid.NewGuid().ToString("N")).UploadAsync(data, cancellationToken);
                var baseline = baselineClock.Elapsed.TotalSeconds;

                GC.Collect();
                var clock = Stopwatch.StartNew();
                using var begin = JsonDocument.Parse($$"""{"fileName": "big.test", "runtime": "go", "sizeBytes": {{size}}}""");
                var ticket = await uploads.BeginTestAsync(begin.RootElement, cancellationToken);
                await new BlobClient(ticket.UploadUrl).UploadAsync(data, overwrite: true, cancellationToken);
                var put = clock.Elapsed.TotalSeconds;
                double rss;
                using var body = JsonDocument.Parse($$"""{"sha256": "{{sha256}}", "sizeBytes": {{size}}}""");
                await using (var sampler = new RssSampler())
                {
                    await uploads.CommitAsync(ticket.UploadId, body.RootElement, cancellationToken);
                    await sampler.DisposeAsync();
                    rss = sampler.GrowthMb;
                }

                var direct = clock.Elapsed.TotalSeconds;
                return new BenchLine("upload-direct",
                [
                    ("mb", megabytes),
                    ("ratio", baseline / direct),
                    ("direct_s", direct),
                    ("put_s", put),
                    ("commit_s", direct - put),
                    ("baseline_s", baseline),
                    ("rss_growth_mb", rss),
                ], "target:ratio>=0.8,rss_growth_mb<=64");
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task<string> WriteAsync(string path, int megabytes, CancellationToken cancellationToken)
    {
        var chunk = new byte[1024 * 1024];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = File.Create(path);
        for (var i = 0; i < megabytes; i++)
        {
            RandomNumberGenerator.Fill(chunk);
            hash.AppendData(chunk);
            await file.WriteAsync(chunk, cancellationToken);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
