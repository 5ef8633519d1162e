using System.Text;
using System.Text.RegularExpressions;
using Byot.Runner.Containers;
using Byot.Runner.Worker;
using Byot.Shared.Artifacts;
using Byot.Shared.Options;
using Xunit;

namespace Byot.Tests.Runner;

/// <summary>Log framing against a real append blob in Azurite.</summary>
public sealed partial class RunLogWriterTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>
{
    private LogStore Store => new BlobLogStore(environment.Blobs, Microsoft.Extensions.Options.Options.Create(new StorageOptions { LogsContainer = environment.LogsContainer }));

    [Fact]
    public async Task Lines_split_across_writes_are_joined_and_each_stream_is_framed()
    {
        var (log, blob) = await NewAsync(capBytes: 1_000_000);

        await log.WriteAsync(OutputStream.Stdout, "hel"u8.ToArray(), CancellationToken.None);
        await log.WriteAsync(OutputStream.Stderr, "oops\r\n"u8.ToArray(), CancellationToken.None);
        await log.WriteAsync(OutputStream.Stdout, "lo\n\nworld"u8.ToArray(), CancellationToken.None);
        await log.CompleteAsync(CancellationToken.None);

        var lines = await LinesAsync(blob);
        Assert.Equal(["[stderr] oops", "[stdout] hello", "[stdout] ", "[stdout] world"], lines.Select(Strip));
        Assert.All(lines, l => Assert.Matches(Stamp(), l));
        Assert.Equal(Encoding.UTF8.GetByteCount(string.Join("\n", lines) + "\n"), log.Bytes);
    }

    [Fact]
    public async Task A_long_line_is_kept_whole_in_tagged_chunks()
    {
        var (log, blob) = await NewAsync(capBytes: 10_000_000);
        var line = string.Concat(Enumerable.Repeat("0123456789", 20_000));

        foreach (var chunk in Encoding.ASCII.GetBytes(line + "\n").Chunk(7_000))
        {
            await log.WriteAsync(OutputStream.Stdout, chunk, CancellationToken.None);
        }

        await log.CompleteAsync(CancellationToken.None);

        var lines = await LinesAsync(blob);
        Assert.Equal(4, lines.Count);
        Assert.Contains("[stdout] ", lines[0], StringComparison.Ordinal);
        Assert.All(lines.Skip(1), l => Assert.Contains("[stdout+] ", l, StringComparison.Ordinal));
        Assert.Equal(line, string.Concat(lines.Select(l => l[(l.IndexOf("] ", StringComparison.Ordinal) + 2)..])));
        Assert.False(log.Truncated);
    }

    [Fact]
    public async Task Output_past_the_cap_is_dropped_behind_one_marker()
    {
        var (log, blob) = await NewAsync(capBytes: 4_096);
        for (var i = 0; i < 1_000; i++)
        {
            await log.WriteAsync(OutputStream.Stdout, Encoding.ASCII.GetBytes($"line {i}\n"), CancellationToken.None);
        }

        await log.CompleteAsync(CancellationToken.None);

        var text = await environment.ReadLogAsync(blob);
        var lines = text.TrimEnd('\n').Split('\n');
        Assert.True(log.Truncated);
        Assert.Contains("[byot] log truncated", lines[^1], StringComparison.Ordinal);
        Assert.Single(lines, l => l.Contains("log truncated", StringComparison.Ordinal));
        Assert.InRange(Encoding.UTF8.GetByteCount(text), 3_000, 4_096 + 200);
        Assert.Equal(Encoding.UTF8.GetByteCount(text), log.Bytes);
        Assert.Equal("[stdout] line 0", Strip(lines[0]));
    }

    [Fact]
    public async Task Lines_reach_the_blob_while_the_run_goes_on()
    {
        var (log, blob) = await NewAsync(capBytes: 1_000_000);

        await log.WriteAsync(OutputStream.Stdout, "first\n"u8.ToArray(), CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(await environment.ReadLogAsync(blob)).Contains("first", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "the line was not flushed by the periodic flush");
            await Task.Delay(50);
        }

        await log.CompleteAsync(CancellationToken.None);
    }

    private async Task<(RunLogWriter Log, string Blob)> NewAsync(long capBytes)
    {
        var blob = Guid.NewGuid().ToString("N") + ".log";
        await Store.CreateAsync(blob, CancellationToken.None);
        return (new RunLogWriter(Store, blob, capBytes, TimeSpan.FromMilliseconds(50), TimeProvider.System), blob);
    }

    private async Task<List<string>> LinesAsync(string blob) =>
        [.. (await environment.ReadLogAsync(blob)).TrimEnd('\n').Split('\n')];

    private static string Strip(string line) => line[25..];

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z \[")]
    private static partial Regex Stamp();
}
