namespace Byot.Runner.Containers;

/// <summary>How a container ended. <see cref="Overrun"/> is set when it was stopped for writing past a volume's limit.</summary>
internal sealed record ContainerExit(long ExitCode, bool TimedOut, bool OomKilled, TimeSpan Duration, VolumeOverrun? Overrun = null);
