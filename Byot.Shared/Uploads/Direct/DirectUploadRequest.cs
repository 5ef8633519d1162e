using System.Globalization;
using System.Text.Json;
using P = Byot.Shared.Problems.Problem;

namespace Byot.Shared.Uploads.Direct;

/// <summary>The JSON bodies of the direct path. Starting one takes the form fields of <c>POST /uploadBinary</c> by
/// the same names (strings, numbers or booleans) plus <c>fileName</c> and, optionally, <c>sizeBytes</c>;
/// committing takes <c>sha256</c> and <c>sizeBytes</c>.</summary>
public static class DirectUploadRequest
{
    public const string FileName = "fileName";
    public const string SizeBytes = "sizeBytes";
    public const string Sha256 = "sha256";

    public static (Dictionary<string, string> Fields, string FileName, long? SizeBytes) ReadBegin(JsonElement body, bool newTest)
    {
        IReadOnlyList<string> accepted = newTest
            ? [.. UploadFields.All.Where(f => f != UploadFields.Binary), FileName, SizeBytes]
            : [FileName, SizeBytes];
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in Object(body).EnumerateObject())
        {
            if (!accepted.Contains(property.Name, StringComparer.Ordinal))
            {
                throw P.InvalidField(property.Name, $"'{Clip(property.Name)}' is not a field of this request; accepted fields: {string.Join(", ", accepted)}.", accepted);
            }

            if (fields.ContainsKey(property.Name))
            {
                throw P.InvalidField(property.Name, $"'{property.Name}' was sent more than once; send it once.");
            }

            if (Text(property) is { } value)
            {
                fields[property.Name] = value;
            }
        }

        if (!fields.Remove(FileName, out var fileName) || string.IsNullOrWhiteSpace(fileName))
        {
            throw P.MissingField(FileName, "Give the artifact's file name, for example \"fileName\": \"checkout.tar.gz\"; its ending says whether it is a bundle.");
        }

        long? size = fields.Remove(SizeBytes, out var rawSize) ? ParseSize(rawSize) : null;
        return (fields, FileNames.Sanitize(fileName), size);
    }

    public static (string Sha256, long SizeBytes) ReadCommit(JsonElement body)
    {
        string? sha = null;
        long? size = null;
        foreach (var property in Object(body).EnumerateObject())
        {
            switch (property.Name)
            {
                case Sha256:
                    sha = Text(property)?.Trim().ToLowerInvariant();
                    break;
                case SizeBytes:
                    size = Text(property) is { } raw ? ParseSize(raw) : null;
                    break;
                default:
                    throw P.InvalidField(property.Name, $"'{Clip(property.Name)}' is not a field of a commit; send sha256 and sizeBytes.", [Sha256, SizeBytes]);
            }
        }

        if (sha is null || sha.Length != 64 || !sha.All(char.IsAsciiHexDigitLower))
        {
            throw (sha is null ? P.MissingField(Sha256, Sha256Help) : P.InvalidField(Sha256, Sha256Help));
        }

        return (sha, size ?? throw P.MissingField(SizeBytes, "Give the artifact's size in bytes, for example \"sizeBytes\": 1073741824."));
    }

    private const string Sha256Help = "Give the sha256 of the whole artifact as 64 hex digits (sha256sum FILE).";

    private static JsonElement Object(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object ? body : throw P.BadRequest("Malformed body", "The body must be a JSON object.");

    private static string? Text(JsonProperty property) => property.Value.ValueKind switch
    {
        JsonValueKind.String => property.Value.GetString(),
        JsonValueKind.Number => property.Value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => null,
        _ => throw P.InvalidField(property.Name, $"'{Clip(property.Name)}' must be a string, a number or a boolean."),
    };

    private static long ParseSize(string raw) =>
        long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0
            ? size
            : throw P.InvalidField(SizeBytes, $"'{Clip(raw)}' is not a size; give a whole number of bytes above 0.");

    private static string Clip(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
