namespace Byot.Testing;

/// <summary>What a <see cref="FakeContainerEngine"/> container does once started: print, then exit with a code, be
/// OOM-killed, hang until its timeout (or until cancelled), or have the engine fail under it.</summary>
public sealed record FakeRun(string Output = "", long ExitCode = 0, bool OomKilled = false, bool Hangs = false, string? EngineFault = null)
{
    public static FakeRun Exits(long code, string output = "") => new(output, code);

    public static FakeRun Oom() => new(ExitCode: 137, OomKilled: true);

    public static FakeRun Hang(string output = "") => new(output, Hangs: true);

    /// <summary>The engine dies while the container runs (the daemon restarted, the socket went away).</summary>
    public static FakeRun EngineDies(string message = "the Docker engine went away") => new(EngineFault: message);
}
