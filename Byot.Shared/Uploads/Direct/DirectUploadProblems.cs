using System.Globalization;
using Byot.Shared.Problems;

namespace Byot.Shared.Uploads.Direct;

/// <summary>The refusals of the direct-to-storage path, worded once.</summary>
public static class DirectUploadProblems
{
    public static ProblemException UnknownUpload(Guid id) =>
        new(404, "not-found", "Unknown upload",
            $"No upload with id {id} exists; it may have expired and been cleaned up. Start a new one with POST /uploads or POST /tests/{{id}}/uploads.");

    public static ProblemException Expired(Guid id, DateTimeOffset expiredAt) =>
        new(410, "upload-expired", "Upload expired",
            string.Create(CultureInfo.InvariantCulture, $"Upload {id} expired at {expiredAt:O} and can no longer be committed; start a new one."));

    public static ProblemException TooLarge(long limitBytes) =>
        new(413, "too-large", "Artifact too large",
            string.Create(CultureInfo.InvariantCulture, $"The artifact exceeds the direct upload limit of {limitBytes} bytes (Byot:Upload:MaxDirectArtifactBytes)."),
            "sizeBytes");

    public static ProblemException NothingStaged(Guid id) =>
        new(409, "nothing-staged", "Nothing uploaded yet",
            $"Upload {id} has no committed bytes: put the blocks to the uploadUrl (Put Block), then commit their list (Put Block List), then call commit again.",
            "sizeBytes");

    public static ProblemException SizeMismatch(long expected, long actual) =>
        new(400, "size-mismatch", "Size does not match",
            string.Create(CultureInfo.InvariantCulture, $"The staged blob has {actual} bytes but the commit says {expected}; upload the missing blocks (or the right file) and commit again."),
            "sizeBytes");

    public static ProblemException Sha256Mismatch(string expected, string actual) =>
        new(400, "sha256-mismatch", "sha256 does not match",
            $"The staged blob's sha256 is {actual} but the commit says {expected}; upload the blocks again and commit again.",
            "sha256");

    public static ProblemException CommittedDifferently(Guid id, string sha256, long sizeBytes) =>
        new(409, "already-committed", "Upload already committed",
            string.Create(CultureInfo.InvariantCulture, $"Upload {id} was already committed with sha256 {sha256} and {sizeBytes} bytes; start a new upload for other content."),
            "sha256");
}
