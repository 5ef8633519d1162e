using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Azure.Storage.Blobs;
using Byot.Functions;
using Byot.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Byot.Bench;

/// <summary>A large artifact through the real upload function (multipart body read from disk as a client would send
/// it): peak RSS growth of this process, and throughput against a direct BlobClient.UploadAsync of the same file.</summary>
internal static class UploadBench
{
    public static Task<BenchLine> RunAsync(string[] args, CancellationToken cancellationToken) => RunAsync("upload", s3: false, args, cancellationToken);

    /// <summary>The same on the S3 backend, against the AWS SDK's own TransferUtility upload of the same file.</summary>
    public static Task<BenchLine> RunS3Async(string[] args, CancellationToken cancellationToken) => RunAsync("upload-s3", s3: true, args, cancellationToken);

    private static async Task<BenchLine> RunAsync(string name, bool s3, string[] args, CancellationToken cancellationToken)
    {
        var megabytes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1024;
        await using var environment = await BenchEnvironment.CreateAsync(cancellationToken, s3);
        var work = Directory.CreateTempSubdirectory("byot-upload-bench");
        try
        {
            var data = Path.Combine(work.FullName, "artifact.bin");
            var body = Path.Combine(work.FullName, "body.multipart");
            const string boundary = "byot-bench-boundary";
            await WriteFilesAsync(data, body, boundary, megabytes, cancellationToken);

            var services = new ServiceCollection().AddLogging()
                .AddByotHttp(environment.Configuration(new Dictionary<string, string?> { ["Byot:Upload:MaxArtifactBytes"] = (4L << 30).ToString(CultureInfo.InvariantCulture) }))
                .BuildServiceProvider();
            await using (services)
            {
                var function = services.GetRequiredService<TestsFunctions>();
                GC.Collect();
                double byot;
                double byotRss;
                await using (var sampler = new RssSampler())
                {
                    var clock = Stopwatch.StartNew();
                    await using var stream = File.OpenRead(body);
                    var context = new DefaultHttpContext { RequestServices = services };
                    context.Request.Method = "POST";
                    context.Request.ContentType = $"multipart/form-data; boundary={boundary}";
                    context.Request.Body = stream;
                    context.Request.ContentLength = stream.Length;
                    context.Response.Body = new MemoryStream();
                    var result = await function.UploadBinary(context.Request, cancellationToken);
                    await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
                    byot = clock.Elapsed.TotalSeconds;
                    if (context.Response.StatusCode != 201)
                    {
                        throw new InvalidOperationException("upload answered " + context.Response.StatusCode);
                    }

                    await sampler.DisposeAsync();
                    byotRss = sampler.GrowthMb;
                }

                GC.Collect();
                double baseline;
                double baselineRss;
                var container = services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(environment.ArtifactsContainer);
                await using (var sampler = new RssSampler())
                {
                    var clock = Stopwatch.StartNew();
                    var key = "baseline/" + Guid.NewGuid().ToString("N");
                    if (s3)
                    {
                        using var transfer = new Amazon.S3.Transfer.TransferUtility(services.GetRequiredService<Shared.Storage.S3.S3Clients>().Server);
                        await transfer.UploadAsync(data, environment.ArtifactsContainer, key, cancellationToken);
                    }
                    else
                    {
                        await container.GetBlobClient(key).UploadAsync(data, cancellationToken);
                    }

                    baseline = clock.Elapsed.TotalSeconds;
                    await sampler.DisposeAsync();
                    baselineRss = sampler.GrowthMb;
                }

                return new BenchLine(name,
                [
                    ("mb", megabytes),
                    ("ratio", baseline / byot),
                    ("byot_s", byot),
                    ("baseline_s", baseline),
                    ("byot_mb_per_s", megabytes / byot),
                    ("rss_growth_mb", byotRss),
                    ("baseline_rss_growth_mb", baselineRss),
                ], "target:ratio>=0.8,rss_growth_mb<=64");
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task WriteFilesAsync(string data, string body, string boundary, int megabytes, CancellationToken cancellationToken)
    {
        var chunk = new byte[1024 * 1024];
        await using (var file = File.Create(data))
        {
            for (var i = 0; i < megabytes; i++)
            {
                RandomNumberGenerator.Fill(chunk);
                await file.WriteAsync(chunk, cancellationToken);
            }
        }

        await using var output = File.Create(body);
        await output.WriteAsync(System.Text.Encoding.ASCII.GetBytes(
            $"--{boundary}\r\nContent-Disposition: form-data; name=\"runtime\"\r\n\r\ngo\r\n" +
            $"--{boundary}\r\nContent-Disposition: form-data; name=\"severity\"\r\n\r\nP2\r\n" +
            $"--{boundary}\r\nContent-Disposition: form-data; name=\"binary\"; filename=\"big.test\"\r\nContent-Type: application/octet-stream\r\n\r\n"), cancellationToken);
        await using (var input = File.OpenRead(data))
        {
            await input.CopyToAsync(output, cancellationToken);
        }

        await output.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n"), cancellationToken);
    }
}
