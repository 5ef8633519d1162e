namespace Byot.Shared.Artifacts;

public enum BundleEntryKind
{
    Directory,
    File,
    SymbolicLink,
    HardLink,
}
