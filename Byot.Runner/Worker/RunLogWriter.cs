using System.Buffers;
using System.Globalization;
using System.Text;
using Byot.Runner.Containers;
using Byot.Shared.Artifacts;
using Byot.Shared.Secrets;
using Byot.Shared.Storage;
using Polly;
using Polly.Retry;

namespace Byot.Runner.Worker;

/// <summary>Frames a container's output as <c>2026-05-03T10:30:04.123Z [stdout] text</c> lines and appends them to the
/// run's log blob while the run goes on. Memory stays bounded whatever the test prints: a line longer than
/// <see cref="MaxLineChunkBytes"/> is kept as several chunks (later ones tagged <c>[stdout+]</c>), and past the cap
/// output is drained and dropped behind one truncation marker.
/// While Blob storage is unreachable (docs/reliability.md row 22) lines stay in memory and periodic flushes keep trying; once
/// <see cref="LogBufferPolicy.BufferBytes"/> are held, the writer stops taking output (the container's pipe fills and
/// the test blocks on its writes: backpressure, nothing dropped) and retries with backoff. The final flush retries too;
/// if the blob still cannot take the log, <see cref="CompleteAsync"/> throws and the run is an infra_error, never a
/// pass. Appends are conditional on the blob's length, so a retried append never duplicates lines.</summary>
internal sealed class RunLogWriter : IOutputSink, IAsyncDisposable
{
    public const int MaxLineChunkBytes = 64 * 1024;
    private const int FlushThresholdBytes = 1024 * 1024;

    private readonly LogStore logs;
    private readonly string blobName;
    private readonly long capBytes;
    private readonly TimeProvider time;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly ArrayBufferWriter<byte> pendingOut = new(FlushThresholdBytes);
    private readonly LineState stdout = new("stdout");
    private readonly LineState stderr = new("stderr");
    private readonly CancellationTokenSource stopTimer = new();
    private readonly Task timer;
    private readonly SecretMasker? masker;
    private readonly long bufferBytes;
    private readonly ResiliencePipeline mustFlush;
    private readonly Func<long, CancellationToken, Task>? onStored;
    private readonly Action<OutputStream, string>? onLine;
    private long acceptedBytes;
    private long blobLength;
    private int storedInBuffer;
    private long arrivals;
    private long reportedLength;

    /// <param name="existingBytes">What the log already holds (an earlier attempt's lines); appended after.</param>
    /// <param name="onStored">Told the log's stored length after periodic flushes, so the run shows it while it goes on.</param>
    /// <param name="onLine">Given each output line as masked for the log (the first chunk of a long one), also past
    /// the log's cap: the case parsers read the whole output, the log keeps what fits.</param>
    public RunLogWriter(LogStore logs, string blobName, long capBytes, TimeSpan flushEvery, TimeProvider time, SecretMasker? masker = null, LogBufferPolicy? policy = null,
        long existingBytes = 0, Func<long, CancellationToken, Task>? onStored = null, Action<OutputStream, string>? onLine = null)
    {
        this.onLine = onLine;
        acceptedBytes = blobLength = reportedLength = existingBytes;
        this.onStored = onStored;
        this.masker = masker is { IsEmpty: false } ? masker : null;
        this.logs = logs;
        this.blobName = blobName;
        this.capBytes = capBytes;
        this.time = time;
        policy ??= LogBufferPolicy.Default;
        bufferBytes = Math.Max(policy.BufferBytes, FlushThresholdBytes);
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (policy.RetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(StorageFaults.IsTransient),
                MaxRetryAttempts = policy.RetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                Delay = policy.RetryDelay,
                MaxDelay = TimeSpan.FromSeconds(10),
            });
        }

        mustFlush = builder.Build();
        timer = FlushPeriodicallyAsync(flushEvery, stopTimer.Token);
    }

    /// <summary>Flushes that failed (each is retried; only a flush that had to succeed and could not ends the run).</summary>
    public int FailedFlushes { get; private set; }

    public long Bytes => acceptedBytes;

    public bool Truncated { get; private set; }

    public async ValueTask WriteAsync(OutputStream stream, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var state = stream == OutputStream.Stderr ? stderr : stdout;
            var span = data.Span;
            while (!span.IsEmpty)
            {
                var newline = span.IndexOf((byte)'\n');
                var take = newline < 0 ? span.Length : newline;
                var room = MaxLineChunkBytes - state.Length;
                if (take > room)
                {
                    state.Append(span[..room], Now(), ++arrivals);
                    EmitChunk(state);
                    span = span[room..];
                    continue;
                }

                state.Append(span[..take], Now(), ++arrivals);
                if (newline < 0)
                {
                    break;
                }

                EmitLine(state, continued: false);
                span = span[(newline + 1)..];
            }

            if (pendingOut.WrittenCount >= bufferBytes)
            {
                // The blob has not taken the backlog: stop reading the test's output until it does (or give up).
                await mustFlush.ExecuteAsync(FlushLockedAsync, cancellationToken);
            }
            else if (pendingOut.WrittenCount - storedInBuffer >= FlushThresholdBytes)
            {
                await TryFlushLockedAsync(cancellationToken);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Writes any unterminated last lines and everything buffered; call once the container has exited.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await stopTimer.CancelAsync();
        await timer;
        await gate.WaitAsync(cancellationToken);
        try
        {
            // Unfinished last lines in the order they began, not stdout first.
            foreach (var state in new[] { stdout, stderr }.Where(s => s.HasContent).OrderBy(s => s.Arrival))
            {
                EmitLine(state, continued: false);
            }

            await mustFlush.ExecuteAsync(FlushLockedAsync, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Appends a line of BYOT's own (for example why a run was stopped).</summary>
    public async Task WriteSystemLineAsync(string text, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            Emit(Encoding.UTF8.GetBytes($"{Stamp(Now())} [byot] {text}\n"), force: true);
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopTimer.CancelAsync();
        try
        {
            await timer;
        }
        catch (Exception e) when (e is OperationCanceledException || StorageFaults.IsTransient(e))
        {
            // A flush cut short by the stop; whatever it left unstored was CompleteAsync's to report.
        }

        stopTimer.Dispose();
        gate.Dispose();
    }

    /// <summary>Emits a full chunk of a long line. With secrets to mask, the chunk's tail that could hold the start of
    /// a secret (and any occurrence the cut would split) is carried into the next chunk, so no secret straddles two.</summary>
    private void EmitChunk(LineState state)
    {
        var cut = state.Length;
        if (masker is not null)
        {
            cut = masker.SafeCut(state.Content, state.Length - Math.Min(masker.Overlap, state.Length / 2));
            cut = cut == 0 ? state.Length / 2 : cut;
        }

        var carried = state.Content[cut..].ToArray();
        EmitLine(state, continued: true, cut);
        state.Append(carried, Now(), ++arrivals);
    }

    private void EmitLine(LineState state, bool continued, int? upTo = null)
    {
        var prefix = Encoding.ASCII.GetBytes($"{Stamp(state.StartedAt)} [{state.Name}{(state.Continuing ? "+" : "")}] ");
        var raw = state.Content[..(upTo ?? state.Length)];
        var content = masker is null ? raw : masker.Apply(raw.ToArray());
        var line = new byte[prefix.Length + content.Length + 1];
        prefix.CopyTo(line, 0);
        content.CopyTo(line.AsSpan(prefix.Length));
        var length = line.Length - 1;
        if (content.Length > 0 && line[length - 1] == (byte)'\r' && !continued)
        {
            length--;
        }

        line[length] = (byte)'\n';
        Emit(line.AsSpan(0, length + 1), force: false);
        if (onLine is not null && !state.Continuing)
        {
            onLine(state == stderr ? OutputStream.Stderr : OutputStream.Stdout, Encoding.UTF8.GetString(line, prefix.Length, length - prefix.Length));
        }

        state.Reset(continuing: continued);
    }

    private void Emit(ReadOnlySpan<byte> bytes, bool force)
    {
        if (Truncated && !force)
        {
            return;
        }

        if (!force && acceptedBytes + bytes.Length > capBytes)
        {
            Truncated = true;
            var marker = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $"{Stamp(Now())} [byot] log truncated: the run printed more than the {capBytes}-byte cap; further output was dropped\n"));
            pendingOut.Write(marker);
            acceptedBytes += marker.Length;
            return;
        }

        pendingOut.Write(bytes);
        acceptedBytes += bytes.Length;
    }

    /// <summary>Appends what is buffered in blocks the service takes in one request, remembering after each how far
    /// it got, so a retry continues where the last attempt stopped.</summary>
    private async ValueTask FlushLockedAsync(CancellationToken cancellationToken)
    {
        while (storedInBuffer < pendingOut.WrittenCount)
        {
            var block = pendingOut.WrittenMemory[storedInBuffer..];
            if (block.Length > LogStore.MaxAppendBytes)
            {
                block = block[..LogStore.MaxAppendBytes];
            }

            try
            {
                blobLength = await logs.AppendAsync(blobName, block, blobLength, cancellationToken);
            }
            catch (Exception e) when (StorageFaults.IsTransient(e))
            {
                FailedFlushes++;
                throw;
            }

            storedInBuffer += block.Length;
        }

        pendingOut.ResetWrittenCount();
        storedInBuffer = 0;
    }

    /// <summary>One attempt; on a storage fault the lines stay buffered for the next flush.</summary>
    private async ValueTask TryFlushLockedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await FlushLockedAsync(cancellationToken);
        }
        catch (Exception e) when (StorageFaults.IsTransient(e) && !cancellationToken.IsCancellationRequested)
        {
            // Kept in memory; retried at the next tick, with backoff once the buffer is full, and at the end.
        }
    }

    private async Task FlushPeriodicallyAsync(TimeSpan every, CancellationToken cancellationToken)
    {
        using var ticker = new PeriodicTimer(every, time);
        try
        {
            while (await ticker.WaitForNextTickAsync(cancellationToken))
            {
                await gate.WaitAsync(cancellationToken);
                try
                {
                    await TryFlushLockedAsync(cancellationToken);
                }
                finally
                {
                    gate.Release();
                }

                await ReportStoredAsync(cancellationToken);
            }
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped mid-flush (the SDK may report that as an AggregateException of a refused connection and a
            // cancellation): the lines stay buffered for the final flush.
        }
    }

    /// <summary>Best effort: a report that fails is sent again after the next flush; the final length is recorded
    /// with the result anyway.</summary>
    private async Task ReportStoredAsync(CancellationToken cancellationToken)
    {
        var stored = blobLength;
        if (onStored is null || stored == reportedLength)
        {
            return;
        }

        try
        {
            await onStored(stored, cancellationToken);
            reportedLength = stored;
        }
        catch (Exception e) when (PostgresFaults.IsTransient(e) && !cancellationToken.IsCancellationRequested)
        {
        }
    }

    private DateTimeOffset Now() => time.GetUtcNow();

    private static string Stamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
