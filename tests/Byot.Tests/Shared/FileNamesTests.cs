using Byot.Shared.Uploads;
using Xunit;

namespace Byot.Tests.Shared;

/// <summary>docs/reliability.md row 3: a client's file name never chooses where anything is stored or unpacked.</summary>
public sealed class FileNamesTests
{
    [Theory]
    [InlineData("checkout.test", "checkout.test")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("/etc/shadow", "shadow")]
    [InlineData("..\\..\\windows\\system32", "system32")]
    [InlineData("..", "artifact")]
    [InlineData("../..", "artifact")]
    [InlineData(".hidden", "hidden")]
    [InlineData("", "artifact")]
    [InlineData(null, "artifact")]
    [InlineData("a b;rm -rf $(x)", "a_b_rm_-rf___x_")]
    [InlineData("a b;rm -rf /$(x)", "__x_")]
    [InlineData("chèque\r\n.js", "ch_que__.js")]
    [InlineData("***", "artifact")]
    public void Sanitize_keeps_one_safe_segment(string? input, string expected) =>
        Assert.Equal(expected, FileNames.Sanitize(input));

    [Fact]
    public void Sanitize_caps_the_length()
    {
        var name = FileNames.Sanitize(new string('a', 10_000) + ".js");

        Assert.Equal(FileNames.MaxLength, name.Length);
        Assert.DoesNotContain('/', name);
    }
}
