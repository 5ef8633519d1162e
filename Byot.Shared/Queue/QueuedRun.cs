using Byot.Shared.Domain;

namespace Byot.Shared.Queue;

/// <summary>A run to put on its location's queue; the test id picks the shard. <see cref="VisibleIn"/> delays delivery
/// so a scheduled run appears at its second.</summary>
public sealed record QueuedRun(Guid RunId, Guid TestId, string Location, TimeSpan VisibleIn)
{
    public static QueuedRun Now(TestRun run) => new(run.Id, run.TestId, run.Location, TimeSpan.Zero);
}
