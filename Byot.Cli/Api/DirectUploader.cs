using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Storage.Blobs.Specialized;
using Byot.Cli.Bundling;

namespace Byot.Cli.Api;

/// <summary>The direct-to-storage path: begin (the fields as JSON), put the file's blocks straight to Blob storage
/// with the SAS URL (each block retried by the Blob SDK), commit the block list, then commit to BYOT with the
/// sha256 and size. A re-run of the same push finds its unfinished upload and puts only the blocks still missing.</summary>
internal static class DirectUploader
{
    private const int BlocksInFlight = 4;
    private const string S3PresignedPut = "s3-presigned-put";
    private static readonly TimeSpan MinimumTimeLeft = TimeSpan.FromMinutes(5);

    public static async Task<JsonElement> UploadAsync(
        ByotClient client,
        UploadRoute route,
        Bundle bundle,
        IReadOnlyList<(string Name, string Value)> fields,
        string configDirectory,
        Action<string> note,
        Action<long> progress,
        CancellationToken cancellationToken)
    {
        var statePath = DirectUploadState.PathFor(configDirectory, client.BaseUrl, route, bundle, fields);
        var (state, present) = await ResumeAsync(client, statePath, cancellationToken);
        if (state is null)
        {
            state = await BeginAsync(client, route, bundle, fields, cancellationToken);
            state.Save(statePath);
        }

        if (state.Protocol == S3PresignedPut)
        {
            await PutWholeAsync(state, bundle, progress, cancellationToken);
        }
        else
        {
            await PutBlocksAsync(state, bundle, present, note, progress, cancellationToken);
        }

        using var commit = new HttpRequestMessage(HttpMethod.Post, $"uploads/{state.UploadId:D}/commit")
        {
            Content = JsonContent.Create(new { sha256 = bundle.Sha256, sizeBytes = bundle.Length }),
        };
        var result = await client.SendJsonAsync(commit, cancellationToken);
        DirectUploadState.Forget(statePath);
        return result;
    }

    /// <summary>Block ids all have one length (the service requires it) and name the block's index.</summary>
    public static string BlockId(int index) => Convert.ToBase64String(Encoding.ASCII.GetBytes(index.ToString("D8", CultureInfo.InvariantCulture)));

    private static async Task<(DirectUploadState? State, IReadOnlyDictionary<string, long> Present)> ResumeAsync(
        ByotClient client, string statePath, CancellationToken cancellationToken)
    {
        var state = DirectUploadState.Load(statePath);
        if (state is null || state.ExpiresAt - DateTimeOffset.UtcNow < MinimumTimeLeft
            || await client.GetJsonOrNullAsync($"uploads/{state.UploadId:D}", cancellationToken) is not { } view
            || Json(view, "status") is not ("open" or "committed"))
        {
            DirectUploadState.Forget(statePath);
            return (null, new Dictionary<string, long>());
        }

        var present = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var block in view.GetProperty("blocks").EnumerateArray())
        {
            present[block.GetProperty("id").GetString()!] = block.GetProperty("sizeBytes").GetInt64();
        }

        return (state, present);
    }

    private static async Task<DirectUploadState> BeginAsync(
        ByotClient client, UploadRoute route, Bundle bundle, IReadOnlyList<(string Name, string Value)> fields, CancellationToken cancellationToken)
    {
        var body = new JsonObject();
        foreach (var (name, value) in fields)
        {
            body[name] = value;
        }

        body["fileName"] = bundle.FileName;
        body["sizeBytes"] = bundle.Length;
        using var begin = new HttpRequestMessage(HttpMethod.Post, route.Direct)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        var ticket = await client.SendJsonAsync(begin, cancellationToken);
        return new DirectUploadState(
            ticket.GetProperty("uploadId").GetGuid(),
            new Uri(ticket.GetProperty("uploadUrl").GetString()!),
            ticket.GetProperty("expiresAt").GetDateTimeOffset(),
            ticket.GetProperty("blockBytes").GetInt32(),
            Json(ticket, "uploadProtocol"));
    }

    private static async Task PutBlocksAsync(
        DirectUploadState state, Bundle bundle, IReadOnlyDictionary<string, long> present, Action<string> note, Action<long> progress, CancellationToken cancellationToken)
    {
        var blob = new BlockBlobClient(state.UploadUrl);
        var count = (int)((bundle.Length + state.BlockBytes - 1) / state.BlockBytes);
        var ids = Enumerable.Range(0, count).Select(BlockId).ToList();
        int SizeOf(int index) => (int)Math.Min(state.BlockBytes, bundle.Length - ((long)index * state.BlockBytes));
        var missing = Enumerable.Range(0, count).Where(i => !(present.TryGetValue(ids[i], out var had) && had == SizeOf(i))).ToList();
        if (present.Count > 0)
        {
            note(string.Create(CultureInfo.InvariantCulture, $"resuming upload {state.UploadId}: {count - missing.Count} of {count} blocks already uploaded"));
        }

        long done = bundle.Length - missing.Sum(i => (long)SizeOf(i));
        progress(done);
        var gate = new object();
        void Add(long bytes)
        {
            lock (gate)
            {
                done += bytes;
                progress(done);
            }
        }

        try
        {
            await Parallel.ForEachAsync(
                missing,
                new ParallelOptions { MaxDegreeOfParallelism = BlocksInFlight, CancellationToken = cancellationToken },
                async (index, token) =>
                {
                    var offset = (long)index * state.BlockBytes;
                    var size = SizeOf(index);
                    var buffer = new byte[size];
                    await using (var file = new FileStream(bundle.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous))
                    {
                        file.Position = offset;
                        await file.ReadExactlyAsync(buffer, token);
                    }

                    await blob.StageBlockAsync(ids[index], new MemoryStream(buffer, writable: false), cancellationToken: token);
                    Add(size);
                });
            await blob.CommitBlockListAsync(ids, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e)
        {
            throw new CliException(ExitCodes.Unreachable, string.Create(CultureInfo.InvariantCulture,
                $"Putting the artifact to storage failed ({e.Status} {e.ErrorCode}): {FirstLine(e.Message)}. Run the same push again to resume upload {state.UploadId}."));
        }
    }

    /// <summary>S3's direct path: one PUT of the whole file to the presigned URL, streamed from disk. S3 has no
    /// resumable single PUT, so a re-run of an interrupted push puts the file again (to the same upload).</summary>
    private static async Task PutWholeAsync(DirectUploadState state, Bundle bundle, Action<long> progress, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            await using var file = new FileStream(bundle.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous);
            using var content = new StreamContent(file, 1 << 20);
            content.Headers.ContentLength = bundle.Length;
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            using var response = await http.PutAsync(state.UploadUrl, content, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new CliException(ExitCodes.Unreachable, string.Create(CultureInfo.InvariantCulture,
                    $"Putting the artifact to storage failed ({(int)response.StatusCode} {response.ReasonPhrase}). Run the same push again to put it to upload {state.UploadId} again."));
            }
        }
        catch (HttpRequestException e)
        {
            throw new CliException(ExitCodes.Unreachable, string.Create(CultureInfo.InvariantCulture,
                $"Putting the artifact to storage failed: {FirstLine(e.Message)}. Run the same push again to put it to upload {state.UploadId} again."));
        }

        progress(bundle.Length);
    }

    private static string? Json(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
