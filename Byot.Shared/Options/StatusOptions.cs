namespace Byot.Shared.Options;

public sealed class StatusOptions
{
    public const string Section = "Byot:Status";

    /// <summary>Whether anyone may read the status page. When false, the page needs <see cref="AccessKey"/> as
    /// <c>?key=</c> or the <c>x-byot-status-key</c> header.</summary>
    public bool Public { get; set; } = true;

    /// <summary>The key for a non-public status page; required when <see cref="Public"/> is false.</summary>
    public string? AccessKey { get; set; }

    /// <summary>Title shown on the page.</summary>
    public string Title { get; set; } = "Is it working?";

    /// <summary>Seconds between the page's own refreshes.</summary>
    public int RefreshSeconds { get; set; } = 30;

    /// <summary>Pass/fail flips among the last 20 judged runs from which a test counts as flaky.</summary>
    public int FlakyFlips { get; set; } = 4;
}
