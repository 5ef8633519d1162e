using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Byot.Shared.Artifacts;
using Byot.Shared.Domain;
using Byot.Shared.Options;
using Byot.Shared.Storage;
using Microsoft.Extensions.Options;

namespace Byot.Shared.Runs;

/// <summary>Follows a run's log blob as the runner appends to it, line by line, from any byte offset, until the run
/// ends or the response's time budget is spent (the client then resumes from the last offset it got).</summary>
public sealed class LogFollower(RunStore runs, LogStore logs, IOptions<ApiOptions> options, TimeProvider time)
{
    public async IAsyncEnumerable<LogEvent> FollowAsync(Guid runId, long offset, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var o = options.Value;
        var deadline = time.GetUtcNow().AddSeconds(o.FollowMaxSeconds);
        var pending = new List<byte>();
        var position = offset;
        while (true)
        {
            // Status first: the runner finishes writing the log before it records the result, so once a final
            // status is seen, the next read returns everything there will ever be.
            var run = await runs.FindAsync(runId, cancellationToken);
            if (run is null)
            {
                yield break;
            }

            var final = run.Status.IsFinal();
            var read = await ReadFromAsync(run, position + pending.Count, cancellationToken);
            pending.AddRange(read);
            // Lines are cut from the buffer by index and the consumed bytes dropped once per read: removing each
            // line from the front would copy the rest every time, quadratic in a log of 100,000 lines.
            var start = 0;
            int newline;
            while ((newline = pending.IndexOf((byte)'\n', start)) >= 0)
            {
                var line = Encoding.UTF8.GetString(CollectionsMarshal.AsSpan(pending)[start..newline]);
                position += newline + 1 - start;
                start = newline + 1;
                yield return new LogEvent(line, position, null);
            }

            pending.RemoveRange(0, start);

            if (final && read.Length == 0)
            {
                yield return new LogEvent(null, position, RunView.From(run));
                yield break;
            }

            if (time.GetUtcNow() >= deadline)
            {
                yield break;
            }

            if (read.Length == 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(o.FollowPollMilliseconds), time, cancellationToken);
            }
        }
    }

    private async Task<byte[]> ReadFromAsync(TestRun run, long from, CancellationToken cancellationToken)
    {
        if (run.LogBlobName is null)
        {
            return [];
        }

        await using var stream = await logs.OpenReadAsync(run.LogBlobName, from, cancellationToken);
        if (stream is null)
        {
            return [];
        }

        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
