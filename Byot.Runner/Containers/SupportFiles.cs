using System.Formats.Tar;

namespace Byot.Runner.Containers;

/// <summary>BYOT's own files every run finds at <see cref="Directory"/>: root-owned and read-only for the test, written
/// into the run volume under <c>.byot</c> (a name bundles may not use), which is mounted at
/// <see cref="DockerContainerEngine.RunVolumePath"/> whether or not the app is baked into the image. The Playwright
/// runtime's default command names its launcher and config wrapper there, so any image with Playwright works, the
/// official one too.</summary>
internal static class SupportFiles
{
    public const string Name = ".byot";

    public const string Directory = DockerContainerEngine.RunVolumePath + "/" + Name;

    public const string PlaywrightConfig = "byot.playwright.config.mjs";

    public const string PlaywrightLauncher = "byot.playwright.cli.cjs";

    private static readonly Lazy<byte[]> PlaywrightConfigBytes = new(() => Read(PlaywrightConfig));

    private static readonly Lazy<byte[]> PlaywrightLauncherBytes = new(() => Read(PlaywrightLauncher));

    public static void WriteTo(TarWriter writer)
    {
        const UnixFileMode readable = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        const UnixFileMode searchable = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, Name) { Mode = readable | searchable, ModificationTime = DateTimeOffset.UnixEpoch });
        foreach (var (name, bytes) in new[] { (PlaywrightConfig, PlaywrightConfigBytes.Value), (PlaywrightLauncher, PlaywrightLauncherBytes.Value) })
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, Name + "/" + name)
            {
                Mode = readable,
                ModificationTime = DateTimeOffset.UnixEpoch,
                DataStream = new MemoryStream(bytes, writable: false),
            });
        }
    }

    private static byte[] Read(string name)
    {
        using var resource = typeof(SupportFiles).Assembly.GetManifestResourceStream("Byot.Runner.Playwright." + name)
            ?? throw new InvalidOperationException($"The Runner was built without its embedded {name}.");
        using var copy = new MemoryStream();
        resource.CopyTo(copy);
        return copy.ToArray();
    }
}
