using System.Globalization;
using Byot.Shared.Problems;

namespace Byot.Shared.Uploads.Direct;

/// <summary>The refusals of the direct-to-storage path, worded once.</summary>
public static class DirectUploadProblems
{
    public static NotFoundException UnknownUpload(Guid id) =>
        new("not-found", "Unknown upload",
            $"No upload with id {id} exists; it may have expired and been cleaned up. Start a new one with POST /uploads or POST /tests/{{id}}/uploads.");

    public static GoneException Expired(Guid id, DateTimeOffset expiredAt) =>
        new("upload-expired", "Upload expired",
            string.Create(CultureInfo.InvariantCulture, $"Upload {id} expired at {expiredAt:O} and can no longer be committed; start a new one."));

    public static TooLargeException TooLarge(long limitBytes) =>
        new("too-large", "Artifact too large",
            string.Create(CultureInfo.InvariantCulture, $"The artifact exceeds the direct upload limit of {limitBytes} bytes (Byot:Upload:MaxDirectArtifactBytes)."),
            "sizeBytes");

    public static ConflictException NothingStaged(Guid id) =>
        new("nothing-staged", "Nothing uploaded yet",
            $"Upload {id} has no committed bytes: put the blocks to the uploadUrl (Put Block), then commit their list (Put Block List), then call commit again.",
            "sizeBytes");

    public static InvalidRequestException SizeMismatch(long expected, long actual) =>
        new("size-mismatch", "Size does not match",
            string.Create(CultureInfo.InvariantCulture, $"The staged blob has {actual} bytes but the commit says {expected}; upload the missing blocks (or the right file) and commit again."),
            "sizeBytes");

    public static InvalidRequestException Sha256Mismatch(string expected, string actual) =>
        new("sha256-mismatch", "sha256 does not match",
            $"The staged blob's sha256 is {actual} but the commit says {expected}; upload the blocks again and commit again.",
            "sha256");

    public static ConflictException CommittedDifferently(Guid id, string sha256, long sizeBytes) =>
        new("already-committed", "Upload already committed",
            string.Create(CultureInfo.InvariantCulture, $"Upload {id} was already committed with sha256 {sha256} and {sizeBytes} bytes; start a new upload for other content."),
            "sha256");
}
