using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.StaticFiles;

namespace Byot.Functions.Http;

/// <summary>The dashboard's built files, embedded in this assembly by the build (Byot.Functions.csproj runs the
/// npm build and embeds Dashboard/dist as <c>dashboard/…</c>). Files under <c>assets/</c> carry a content hash in
/// their names, so they may be cached for a year; the shell names them and must be revalidated every time.</summary>
internal static class DashboardAssets
{
    public const string Shell = "index.html";
    private const string Prefix = "dashboard/";
    private const string Immutable = "public, max-age=31536000, immutable";
    private const string Revalidate = "no-cache";

    private static readonly Lazy<FrozenDictionary<string, DashboardAsset>> All = new(Load);

    public static IReadOnlyCollection<string> Paths => All.Value.Keys;

    public static DashboardAsset? Find(string path) => All.Value.GetValueOrDefault(path);

    private static FrozenDictionary<string, DashboardAsset> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var types = new FileExtensionContentTypeProvider();
        var assets = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            var path = name[Prefix.Length..];
            var type = types.TryGetContentType(path, out var found) ? found : "application/octet-stream";
            if (type.StartsWith("text/", StringComparison.Ordinal) || type is "application/javascript" or "text/javascript")
            {
                type += "; charset=utf-8";
            }

            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..32] + "\"";
            assets[path] = new DashboardAsset(content, type, etag, path.StartsWith("assets/", StringComparison.Ordinal) ? Immutable : Revalidate);
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
