namespace Byot.Cli;

/// <summary>The process exit codes. A run's own outcome uses 0-2; problems with the CLI's input or the API use 3-5.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int RunFailed = 1;
    public const int RunNotPassed = 2;
    public const int BadInput = 3;
    public const int Unauthorized = 4;
    public const int Unreachable = 5;
    public const int Usage = 64;

    /// <summary>0 passed, 1 failed, 2 anything else that ended the run (infra_error, timed_out, oom, cancelled, skipped).</summary>
    public static int ForRunStatus(string? status) => status switch
    {
        "passed" => Ok,
        "failed" => RunFailed,
        _ => RunNotPassed,
    };
}
