namespace Byot.Shared.Runs;

/// <summary>One page of a test's run history, newest first; <see cref="Next"/> fetches the page after it.</summary>
public sealed record RunPage(IReadOnlyList<RunView> Runs, string? Next);
