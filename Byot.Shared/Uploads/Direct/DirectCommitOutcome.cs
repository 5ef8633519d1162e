namespace Byot.Shared.Uploads.Direct;

public enum DirectCommitOutcome
{
    Committed,
    AlreadyCommitted,
    Missing,
    Expired,
    TestGone,
}
