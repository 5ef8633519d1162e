using System.ComponentModel.DataAnnotations;

namespace Byot.Shared.Options;

public sealed class ApiOptions
{
    public const string Section = "Byot:Api";

    /// <summary>How long one follow response streams before it ends and the client resumes with Last-Event-ID.
    /// Azure's front end cuts responses open longer than about 230 s.</summary>
    [Range(1, 3_600)]
    public int FollowMaxSeconds { get; set; } = 200;

    [Range(10, 10_000)]
    public int FollowPollMilliseconds { get; set; } = 250;

    /// <summary>How many log follows (plain text or SSE) one Functions instance streams at once; one more is 429.</summary>
    [Range(1, 10_000)]
    public int MaxConcurrentFollows { get; set; } = 100;

    /// <summary>The largest range one follow reads from the log blob per request, so a follower's memory stays flat
    /// whatever the log's size.</summary>
    [Range(4_096, 16 * 1024 * 1024)]
    public int FollowReadBytes { get; set; } = 1024 * 1024;

    /// <summary>The largest JSON body a non-upload route reads (PATCH bodies, the run call's options); longer is 413.</summary>
    [Range(1_024, 64 * 1024 * 1024)]
    public int MaxJsonBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How many manual runs of one test may wait in the queue at once. A run-now call with the same options
    /// as a queued one answers that run; a call that would queue one more than this is 429.</summary>
    [Range(1, 100)]
    public int MaxQueuedManualRuns { get; set; } = 3;
}
