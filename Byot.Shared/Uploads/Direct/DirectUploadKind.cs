namespace Byot.Shared.Uploads.Direct;

public enum DirectUploadKind
{
    /// <summary>The commit creates a new test from the fields given when the upload began.</summary>
    Test,

    /// <summary>The commit adds a new artifact version to an existing test.</summary>
    Version,
}
