namespace Byot.Shared.Options;

public sealed class StatusOptions
{
    public const string Section = "Byot:Status";

    /// <summary>Whether anyone may read the status page. Off by default: the page then needs <see cref="AccessKey"/>
    /// in the <c>x-byot-status-key</c> header or through the page's own form (an HttpOnly cookie), never in the URL.</summary>
    public bool Public { get; set; }

    /// <summary>The key of a private status page. Without one, a private page stays closed to everyone.</summary>
    public string? AccessKey { get; set; }

    /// <summary>Title shown on the page.</summary>
    public string Title { get; set; } = "Is it working?";

    /// <summary>Seconds between the page's own refreshes.</summary>
    public int RefreshSeconds { get; set; } = 30;

    /// <summary>Pass/fail flips among the last 20 judged runs from which a test counts as flaky.</summary>
    public int FlakyFlips { get; set; } = 4;
}
