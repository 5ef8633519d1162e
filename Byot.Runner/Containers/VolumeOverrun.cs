namespace Byot.Runner.Containers;

/// <summary>A test wrote past a volume's limit, or made part of the volume unreadable so it could not be measured.</summary>
internal sealed record VolumeOverrun(VolumeLimit Limit, bool Unreadable)
{
    /// <summary>The line the run's log and error carry.</summary>
    public string Message => Unreadable
        ? $"Stopped: part of {Limit.Target} was made unreadable, so its size (limit {Limit.Bytes / (1024 * 1024)} MiB, {Limit.Setting}) could not be checked; keep what the test writes there readable."
        : $"Stopped: the test wrote more than {Limit.Bytes / (1024 * 1024)} MiB to {Limit.Target} (the runner's {Limit.Setting}); write less there, or ask the operator to raise it.";
}
