using Byot.Runner.Options;
using Microsoft.Extensions.Options;

namespace Byot.Runner.Worker;

/// <summary>Gives each concurrent run its own uid from <c>UidRangeStart</c>…<c>+UidRangeSize</c>, so one test's
/// processes can never read another's /proc or files even if a future bug opened a path between them. The lowest
/// free uid is taken; a uid goes back only after its run's container is removed.</summary>
internal sealed class UidAllocator(IOptions<RunnerOptions> options)
{
    // The kernel's overflow uid (nobody) and (uid_t)-1 as 16 bits: never hand those to a test.
    private static readonly int[] Skipped = [65534, 65535];
    private readonly HashSet<int> taken = [];
    private readonly Lock gate = new();

    public Lease Acquire()
    {
        var o = options.Value;
        if (o.UidRangeSize == 0)
        {
            return new Lease(this, null, o.User);
        }

        lock (gate)
        {
            for (var uid = o.UidRangeStart; uid < o.UidRangeStart + o.UidRangeSize; uid++)
            {
                if (!Skipped.Contains(uid) && taken.Add(uid))
                {
                    return new Lease(this, uid, $"{uid}:{uid}");
                }
            }
        }

        // MaxConcurrentRuns is validated against the range, so only a bug gets here.
        throw new InvalidOperationException($"Every uid of Byot:Runner:UidRangeStart {o.UidRangeStart} + UidRangeSize {o.UidRangeSize} is in use.");
    }

    private void Release(int uid)
    {
        lock (gate)
        {
            taken.Remove(uid);
        }
    }

    /// <summary>The user (<c>uid:gid</c>) one run executes as, until disposed.</summary>
    internal sealed class Lease(UidAllocator owner, int? uid, string user) : IDisposable
    {
        private int released;

        public string User => user;

        public void Dispose()
        {
            if (uid is { } value && Interlocked.Exchange(ref released, 1) == 0)
            {
                owner.Release(value);
            }
        }
    }
}
