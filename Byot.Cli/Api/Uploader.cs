using System.Net.Http.Headers;
using System.Text.Json;
using Byot.Cli.Bundling;
using Byot.Cli.Output;
using Spectre.Console;

namespace Byot.Cli.Api;

/// <summary>Sends a bundle, with a progress bar on a terminal: up to <c>directAboveBytes</c> as one multipart/form-data
/// request (streamed from disk, chunked), above it straight to Blob storage (<see cref="DirectUploader"/>).</summary>
internal static class Uploader
{
    /// <summary>64 MiB: above it a single request risks the front end's ~230 s cut on an ordinary uplink.</summary>
    public const long DefaultDirectAboveBytes = 64L * 1024 * 1024;

    public static async Task<JsonElement> UploadAsync(
        ByotClient client,
        Renderer renderer,
        UploadRoute route,
        Bundle bundle,
        IReadOnlyList<(string Name, string Value)> fields,
        long directAboveBytes,
        string configDirectory,
        CancellationToken cancellationToken)
    {
        Task<JsonElement> Send(Action<string> note, Action<long> progress) =>
            bundle.Length > directAboveBytes
                ? DirectUploader.UploadAsync(client, route, bundle, fields, configDirectory, note, progress, cancellationToken)
                : SendAsync(client, route.Multipart, bundle, fields, progress, cancellationToken);

        if (!renderer.Rich)
        {
            return await Send(renderer.Info, _ => { });
        }

        JsonElement result = default;
        await renderer.Console().Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape("upload " + bundle.FileName), maxValue: Math.Max(1, bundle.Length));
                result = await Send(text => task.Description = Markup.Escape(text), bytes => task.Value = bytes);
                task.Value = task.MaxValue;
            });
        return result;
    }

    private static async Task<JsonElement> SendAsync(
        ByotClient client,
        string path,
        Bundle bundle,
        IEnumerable<(string Name, string Value)> fields,
        Action<long> progress,
        CancellationToken cancellationToken)
    {
        using var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }

        var file = new StreamContent(new ProgressStream(File.OpenRead(bundle.Path), progress), 81920);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(file, "binary", bundle.FileName);

        // Chunked on purpose: the Functions host holds a body with a Content-Length whole in memory before the
        // worker sees a byte of it, and streams a chunked one through.
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        return await client.SendJsonAsync(request, cancellationToken);
    }
}
