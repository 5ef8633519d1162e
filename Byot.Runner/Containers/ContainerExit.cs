namespace Byot.Runner.Containers;

/// <summary>How a container ended.</summary>
internal sealed record ContainerExit(long ExitCode, bool TimedOut, bool OomKilled, TimeSpan Duration);
