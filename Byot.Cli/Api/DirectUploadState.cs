using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Byot.Cli.Api;

/// <summary>What a re-run of the same push needs to resume an unfinished direct upload: kept in the config
/// directory under a key made of the API, the route, the fields and the artifact's sha256, removed once committed.</summary>
/// <param name="Protocol">The ticket's uploadProtocol; null (a state saved by an older CLI) is Blob's blocks.</param>
internal sealed record DirectUploadState(Guid UploadId, Uri UploadUrl, DateTimeOffset ExpiresAt, int BlockBytes, string? Protocol = null)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string PathFor(string configDirectory, Uri api, UploadRoute route, Bundling.Bundle bundle, IEnumerable<(string Name, string Value)> fields)
    {
        var identity = string.Join('\n', [api.ToString(), route.Direct, bundle.Sha256, bundle.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), .. fields.Select(f => f.Name + "=" + f.Value)]);
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..32];
        return Path.Combine(configDirectory, "uploads", key + ".json");
    }

    public static DirectUploadState? Load(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<DirectUploadState>(File.ReadAllText(path), Options) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static void Forget(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        // The URL is a write credential for one staging blob until it expires: readable by the user only.
        File.WriteAllText(path, JsonSerializer.Serialize(this, Options));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
