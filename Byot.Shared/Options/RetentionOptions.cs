using System.ComponentModel.DataAnnotations;

namespace Byot.Shared.Options;

/// <summary>How long run history is kept (docs/scale.md#run-history-retention).</summary>
public sealed class RetentionOptions
{
    public const string Section = "Byot:Retention";

    /// <summary>Finished runs queued longer ago than this are summarised per test, location and day, then deleted with
    /// their logs, artifacts and cases. At least 31: statistics and the status page read up to 30 days of runs.</summary>
    [Range(31, 36_500)]
    public int Days { get; set; } = 90;
}
