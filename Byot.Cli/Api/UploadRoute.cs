namespace Byot.Cli.Api;

/// <summary>Where an artifact goes: the one-request multipart route, and the route that begins a direct upload.</summary>
internal sealed record UploadRoute(string Multipart, string Direct)
{
    public static UploadRoute NewTest { get; } = new("uploadBinary", "uploads");

    public static UploadRoute Version(string testId) => new($"tests/{ByotClient.Escape(testId)}/artifact", $"tests/{ByotClient.Escape(testId)}/uploads");
}
