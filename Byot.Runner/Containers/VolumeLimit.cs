namespace Byot.Runner.Containers;

/// <summary>A size limit on one of a run's volumes, named as the test sees it (<see cref="Target"/>) and as the
/// operator sets it (<see cref="Setting"/>).</summary>
internal sealed record VolumeLimit(string Target, long Bytes, string Setting);
