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
}
