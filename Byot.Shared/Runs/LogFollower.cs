using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Byot.Shared.Artifacts;
using Byot.Shared.Domain;
using Byot.Shared.Options;
using Byot.Shared.Problems;
using Byot.Shared.Storage;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Runs;

/// <summary>Follows a run's log blob as the runner appends to it, line by line, from any byte offset, until the run
/// ends or the response's time budget is spent (the client then resumes from the last offset it got). Each read is
/// one bounded range of the blob and every byte is looked at once, so the cost is linear in the log's size and a
/// follower's memory is one range plus the line it is in.</summary>
public sealed class LogFollower(RunStore runs, LogStore logs, IOptions<ApiOptions> options, TimeProvider time)
{
    private int active;

    /// <summary>Takes one of the instance's follow places, or refuses with 429 when all are taken. Call it before
    /// anything else is done for the request, so a refused follow leaves nothing behind.</summary>
    public FollowLease Enter()
    {
        var max = options.Value.MaxConcurrentFollows;
        if (Interlocked.Increment(ref active) > max)
        {
            Interlocked.Decrement(ref active);
            throw new TooManyException("too-many-follows", "Too many live follows",
                string.Create(CultureInfo.InvariantCulture, $"This instance already streams {max} live logs (Byot:Api:MaxConcurrentFollows). Try again in a few seconds, or read the log without follow=true."));
        }

        return new FollowLease(() => Interlocked.Decrement(ref active));
    }

    public async IAsyncEnumerable<LogEvent> FollowAsync(Guid runId, long offset, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var o = options.Value;
        var deadline = time.GetUtcNow().AddSeconds(o.FollowMaxSeconds);
        var chunk = ArrayPool<byte>.Shared.Rent(o.FollowReadBytes);
        var pending = new MemoryStream();
        var position = offset;
        try
        {
            while (true)
            {
                // Status first: the runner finishes writing the log before it records the result, so once a final
                // status is seen, the reads that follow return everything there will ever be.
                var run = await runs.FindAsync(runId, cancellationToken);
                if (run is null)
                {
                    yield break;
                }

                var final = run.Status.IsFinal();
                var read = await ReadRangeAsync(run, position + pending.Length, chunk.AsMemory(0, o.FollowReadBytes), cancellationToken);
                var start = 0;
                for (var newline = Array.IndexOf(chunk, (byte)'\n', 0, read); newline >= 0; newline = Array.IndexOf(chunk, (byte)'\n', start, read - start))
                {
                    // The offset counts bytes as stored, so a resume lands on the same byte whatever the text is.
                    position += pending.Length + (newline - start) + 1;
                    string line;
                    if (pending.Length > 0)
                    {
                        pending.Write(chunk, start, newline - start);
                        line = Encoding.UTF8.GetString(pending.GetBuffer(), 0, (int)pending.Length);
                        pending.SetLength(0);
                    }
                    else
                    {
                        line = Encoding.UTF8.GetString(chunk, start, newline - start);
                    }

                    start = newline + 1;
                    yield return new LogEvent(line, position, null);
                }

                pending.Write(chunk, start, read - start);
                if (final && read == 0)
                {
                    yield return new LogEvent(null, position, RunView.From(run));
                    yield break;
                }

                if (time.GetUtcNow() >= deadline)
                {
                    yield return new LogEvent(null, position, null, run.Status.ToName());
                    yield break;
                }

                if (read == 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(o.FollowPollMilliseconds), time, cancellationToken);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>Reads one range of the log into <paramref name="buffer"/>; 0 when nothing is there (yet).</summary>
    private async Task<int> ReadRangeAsync(TestRun run, long from, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (run.LogBlobName is null)
        {
            return 0;
        }

        await using var stream = await logs.OpenReadAsync(run.LogBlobName, from, cancellationToken, buffer.Length);
        if (stream is null)
        {
            return 0;
        }

        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer[total..], cancellationToken)) > 0)
        {
            total += read;
        }

        return total;
    }
}
