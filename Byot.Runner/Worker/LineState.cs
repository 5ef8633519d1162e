namespace Byot.Runner.Worker;

/// <summary>The unfinished line of one output stream and when its first byte arrived.</summary>
internal sealed class LineState(string name)
{
    private readonly byte[] buffer = new byte[RunLogWriter.MaxLineChunkBytes];

    public string Name { get; } = name;

    public int Length { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>Orders unfinished lines of both streams by when they began, where timestamps can tie.</summary>
    public long Arrival { get; private set; }

    public bool Continuing { get; private set; }

    public bool HasContent => Length > 0 || Started;

    public ReadOnlySpan<byte> Content => buffer.AsSpan(0, Length);

    private bool Started { get; set; }

    public void Append(ReadOnlySpan<byte> bytes, DateTimeOffset now, long arrival)
    {
        if (!Started)
        {
            StartedAt = now;
            Arrival = arrival;
            Started = true;
        }

        bytes.CopyTo(buffer.AsSpan(Length));
        Length += bytes.Length;
    }

    public void Reset(bool continuing)
    {
        Length = 0;
        Started = false;
        Continuing = continuing;
    }
}
