using System.Formats.Tar;
using Byot.Tests.Infrastructure;

namespace Byot.Tests.Runtimes;

/// <summary>The sample Playwright project (tests/Byot.Tests/Runtimes/PlaywrightProject: package.json,
/// playwright.config.ts, tests/, and the shop its webServer starts), packed as the bundle a user uploads.</summary>
public static class PlaywrightProjectBundle
{
    public static string Directory => Repository.Path("tests", "Byot.Tests", "Runtimes", "PlaywrightProject");

    public static byte[] TarGz()
    {
        var root = Directory;
        var files = System.IO.Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .Select(name => (TarEntry)Bundles.File(name, File.ReadAllText(Path.Combine(root, name))));
        return Bundles.TarGz([.. files]);
    }
}
