namespace Byot.Shared.Artifacts;

/// <summary>One checked entry of a bundle: <see cref="Path"/> is relative, normalised and inside /app;
/// <see cref="LinkTarget"/> (links only) resolves inside /app too.</summary>
public sealed record BundleEntry(string Path, BundleEntryKind Kind, bool Executable, string? LinkTarget);
