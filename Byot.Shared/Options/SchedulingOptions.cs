using System.ComponentModel.DataAnnotations;

namespace Byot.Shared.Options;

public sealed class SchedulingOptions
{
    public const string Section = "Byot:Scheduling";

    /// <summary>Shortest allowed gap between two runs of one test, for intervals and cron expressions alike.</summary>
    [Range(1, 86_400)]
    public int MinIntervalSeconds { get; set; } = 10;

    /// <summary>How far past "now" a tick claims slots; match the timer's period so a slot is never a tick late.</summary>
    [Range(1, 3_600)]
    public int LookAheadSeconds { get; set; } = 10;

    /// <summary>Slots missed by more than this (scheduler down, for example) are recorded as skipped, not fired in a burst.</summary>
    [Range(1, 86_400)]
    public int CatchUpWindowSeconds { get; set; } = 60;

    /// <summary>Schedules claimed per transaction; a tick loops until none is due.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>Runs committed but not on the queue after this long are enqueued by the sweep.</summary>
    [Range(1, 3_600)]
    public int EnqueueGraceSeconds { get; set; } = 30;

    /// <summary>How long before its slot a scheduled run's message becomes visible: the runner claims it, prepares
    /// the container, and starts it at the slot's second, so container start is the only lateness left.</summary>
    [Range(0, 30)]
    public int EarlyDeliverySeconds { get; set; } = 2;

    /// <summary>Attempts before a run whose runner vanished is closed as infra_error instead of re-queued.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;
}
