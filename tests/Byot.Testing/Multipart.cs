using System.Net.Http.Headers;

namespace Byot.Testing;

/// <summary>Builds real multipart/form-data bodies, byte for byte what curl -F sends.</summary>
public static class Multipart
{
    public static async Task<(MemoryStream Body, string ContentType)> BuildAsync(
        IEnumerable<(string Name, string Value)> fields,
        (string Name, string FileName, byte[] Content)? file,
        bool fileFirst = true)
    {
        using var form = new MultipartFormDataContent("----byot-test-boundary-" + Guid.NewGuid().ToString("N"));
        if (file is { } f && fileFirst)
        {
            form.Add(FilePart(f.Content), f.Name, f.FileName);
        }

        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        if (file is { } g && !fileFirst)
        {
            form.Add(FilePart(g.Content), g.Name, g.FileName);
        }

        var body = new MemoryStream();
        await form.CopyToAsync(body);
        body.Position = 0;
        return (body, form.Headers.ContentType!.ToString());
    }

    private static ByteArrayContent FilePart(byte[] content)
    {
        var part = new ByteArrayContent(content);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return part;
    }
}
