namespace Byot.Shared.Options;

public sealed class StatusOptions
{
    public const string Section = "Byot:Status";

    /// <summary>A setting of earlier versions: flaky has one definition now, so a value here would silently stop
    /// meaning anything; the start is refused instead, naming the setting that replaced it.</summary>
    public const string RemovedFlakyFlips = Section + ":FlakyFlips";

    public const string RemovedFlakyFlipsMessage =
        "Byot:Status:FlakyFlips was removed: the status page, the stats and alerts share one definition of flaky, set by "
        + "Byot:Alerts:Flaky:Window and Byot:Alerts:Flaky:MinFlips (docs/alerting.md). Remove Byot:Status:FlakyFlips.";

    /// <summary>Whether anyone may read the status page. Off by default: the page then needs <see cref="AccessKey"/>
    /// in the <c>x-byot-status-key</c> header or through the page's own form (an HttpOnly cookie), never in the URL.</summary>
    public bool Public { get; set; }

    /// <summary>The key of a private status page. Without one, a private page stays closed to everyone.</summary>
    public string? AccessKey { get; set; }

    /// <summary>Title shown on the page.</summary>
    public string Title { get; set; } = "Is it working?";

    /// <summary>Seconds between the page's own refreshes.</summary>
    public int RefreshSeconds { get; set; } = 30;
}
