using System.Globalization;

namespace Byot.Shared.Problems;

/// <summary>The problems BYOT's services raise, worded once; each is a <see cref="DomainException"/> of one kind.</summary>
public static class Problem
{
    public static InvalidRequestException InvalidField(string field, string detail, IReadOnlyList<string>? allowed = null) =>
        new("invalid-field", $"Invalid field '{field}'", detail, field, allowed);

    public static InvalidRequestException MissingField(string field, string detail, IReadOnlyList<string>? allowed = null) =>
        new("missing-field", $"Missing field '{field}'", detail, field, allowed);

    public static InvalidRequestException MalformedId(string what, string value) =>
        new("malformed-id", $"Malformed {what} id",
            string.Create(CultureInfo.InvariantCulture, $"'{Truncate(value)}' is not a valid {what} id; ids are UUIDs such as 3f2b8c1e-4d5a-4b7e-9c0d-1a2b3c4d5e6f."),
            $"{what}Id");

    public static NotFoundException NotFound(string what, Guid id) =>
        new("not-found", $"Unknown {what}", $"No {what} with id {id} exists. List them to find the right id.");

    public static TooLargeException TooLarge(long limitBytes) =>
        new("too-large", "Artifact too large",
            string.Create(CultureInfo.InvariantCulture, $"The uploaded artifact exceeds the limit of {limitBytes} bytes for a one-request upload. Send large artifacts straight to storage instead: POST /uploads (a new test, the same fields as JSON) or POST /tests/{{id}}/uploads (a new version), put the bytes to the uploadUrl it returns, then POST /uploads/{{uploadId}}/commit; `byot push` does this by itself for large files."),
            "binary");

    public static TooLargeException BodyTooLarge(long limitBytes) =>
        new("body-too-large", "Request body too large",
            string.Create(CultureInfo.InvariantCulture, $"A JSON body may be at most {limitBytes} bytes (Byot:Api:MaxJsonBodyBytes). Send only the fields you change."));

    public static InvalidRequestException BadRequest(string title, string detail) => new("bad-request", title, detail);

    public static UnsupportedMediaException UnsupportedMediaType(string detail) => new("unsupported-media-type", "Unsupported media type", detail);

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
