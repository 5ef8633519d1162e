namespace Byot.Runner.Options;

/// <summary>How the size limits of a run's /app and /artifacts volumes are enforced: by the Runner watching the
/// volumes' usage and stopping a test that writes past them (needs read access to the engine's volume directory), by
/// the engine's own volume quota (the local driver's <c>size</c> option: the engine's data root on XFS with project
/// quotas), or not at all.</summary>
public enum VolumeQuotaMode
{
    Watch,
    Engine,
    Off,
}
