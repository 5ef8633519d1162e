using System.Globalization;

namespace Byot.Shared.Problems;

/// <summary>The problems BYOT's services raise, worded once.</summary>
public static class Problem
{
    public static ProblemException InvalidField(string field, string detail, IReadOnlyList<string>? allowed = null) =>
        new(400, "invalid-field", $"Invalid field '{field}'", detail, field, allowed);

    public static ProblemException MissingField(string field, string detail, IReadOnlyList<string>? allowed = null) =>
        new(400, "missing-field", $"Missing field '{field}'", detail, field, allowed);

    public static ProblemException MalformedId(string what, string value) =>
        new(400, "malformed-id", $"Malformed {what} id",
            string.Create(CultureInfo.InvariantCulture, $"'{Truncate(value)}' is not a valid {what} id; ids are UUIDs such as 3f2b8c1e-4d5a-4b7e-9c0d-1a2b3c4d5e6f."),
            $"{what}Id");

    public static ProblemException NotFound(string what, Guid id) =>
        new(404, "not-found", $"Unknown {what}", $"No {what} with id {id} exists. List them to find the right id.");

    public static ProblemException TooLarge(long limitBytes) =>
        new(413, "too-large", "Artifact too large",
            string.Create(CultureInfo.InvariantCulture, $"The uploaded artifact exceeds the limit of {limitBytes} bytes for a one-request upload. Send large artifacts straight to storage instead: POST /uploads (a new test, the same fields as JSON) or POST /tests/{{id}}/uploads (a new version), put the bytes to the uploadUrl it returns, then POST /uploads/{{uploadId}}/commit; `byot push` does this by itself for large files."),
            "binary");

    public static ProblemException BodyTooLarge(long limitBytes) =>
        new(413, "body-too-large", "Request body too large",
            string.Create(CultureInfo.InvariantCulture, $"A JSON body may be at most {limitBytes} bytes (Byot:Api:MaxJsonBodyBytes). Send only the fields you change."));

    public static ProblemException BadRequest(string title, string detail) => new(400, "bad-request", title, detail);

    public static ProblemException UnsupportedMediaType(string detail) => new(415, "unsupported-media-type", "Unsupported media type", detail);

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
