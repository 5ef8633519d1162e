namespace Byot.Shared.Alerts;

/// <summary>A notification in words: a one-line title, the body text, the run link and the quoted log lines.</summary>
public sealed record RenderedAlert(string Title, string Text, string? RunUrl, IReadOnlyList<string> LogLines);
