using System.Formats.Tar;
using System.Text;

namespace Byot.Runner.Containers;

/// <summary>The build context that bakes an app into an image: a Dockerfile and the runner's own repacked app tar,
/// which the engine unpacks at /app. The tar's entries are already checked and normalised (root-owned, 0644/0755),
/// so /app is readable by any uid and writable by none, and nothing in the context comes from the uploader but
/// the checked files themselves.</summary>
internal static class AppImageContext
{
    public const string ArchiveName = "app.tar";

    public static async Task WriteAsync(string path, string baseImage, string appArchivePath, CancellationToken cancellationToken)
    {
        // FROM takes the configured runtime image (not anything from the test), and ADD of a local tar unpacks it.
        var dockerfile = Encoding.UTF8.GetBytes($"FROM {baseImage}\nADD {ArchiveName} /app/\n");
        await using var output = File.Create(path);
        await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: false);
        await writer.WriteEntryAsync(Entry("Dockerfile", new MemoryStream(dockerfile)), cancellationToken);
        await using var app = File.OpenRead(appArchivePath);
        await writer.WriteEntryAsync(Entry(ArchiveName, app), cancellationToken);
    }

    private static PaxTarEntry Entry(string name, Stream content) => new(TarEntryType.RegularFile, name)
    {
        Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        ModificationTime = DateTimeOffset.UnixEpoch,
        DataStream = content,
    };
}
