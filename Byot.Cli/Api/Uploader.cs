using System.Net.Http.Headers;
using System.Text.Json;
using Byot.Cli.Bundling;
using Byot.Cli.Output;
using Spectre.Console;

namespace Byot.Cli.Api;

/// <summary>Sends a bundle as multipart/form-data (streamed from disk), with a progress bar on a terminal.</summary>
internal static class Uploader
{
    public static async Task<JsonElement> UploadAsync(
        ByotClient client,
        Renderer renderer,
        string path,
        Bundle bundle,
        IEnumerable<(string Name, string Value)> fields,
        CancellationToken cancellationToken)
    {
        if (!renderer.Rich)
        {
            return await SendAsync(client, path, bundle, fields, _ => { }, cancellationToken);
        }

        JsonElement result = default;
        await renderer.Console().Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape("upload " + bundle.FileName), maxValue: Math.Max(1, bundle.Length));
                result = await SendAsync(client, path, bundle, fields, bytes => task.Value = bytes, cancellationToken);
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
        file.Headers.ContentLength = bundle.Length;
        content.Add(file, "binary", bundle.FileName);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        return await client.SendJsonAsync(request, cancellationToken);
    }
}
