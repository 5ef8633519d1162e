using Byot.Runner.Containers;
using Xunit;

namespace Byot.Tests.Security;

/// <summary>How the Runner charges a volume's tree: blocks, not bytes, and links never followed.</summary>
public sealed class VolumeUsageTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("byot-usage-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void Files_are_charged_whole_blocks_and_empty_entries_one_block_each()
    {
        File.WriteAllBytes(Path.Combine(root, "a"), new byte[5000]);
        File.WriteAllBytes(Path.Combine(root, "empty"), []);
        Directory.CreateDirectory(Path.Combine(root, "dir"));

        Assert.Equal(4 * VolumeUsage.BlockBytes, VolumeUsage.Measure(root, long.MaxValue));
    }

    [Fact]
    public void A_link_to_a_large_file_elsewhere_is_one_block()
    {
        var outside = Path.Combine(Path.GetTempPath(), $"byot-usage-outside-{Guid.NewGuid():N}");
        File.WriteAllBytes(outside, new byte[1 << 20]);
        try
        {
            File.CreateSymbolicLink(Path.Combine(root, "link"), outside);
            Directory.CreateSymbolicLink(Path.Combine(root, "dirlink"), Path.GetTempPath());

            Assert.Equal(2 * VolumeUsage.BlockBytes, VolumeUsage.Measure(root, long.MaxValue));
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public void Measuring_stops_once_past_the_limit()
    {
        for (var i = 0; i < 100; i++)
        {
            File.WriteAllBytes(Path.Combine(root, $"f{i}"), []);
        }

        var measured = VolumeUsage.Measure(root, 10 * VolumeUsage.BlockBytes);

        Assert.Equal(11 * VolumeUsage.BlockBytes, measured);
    }
}
