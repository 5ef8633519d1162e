using System.Text;
using Byot.Shared.Secrets;
using Xunit;

namespace Byot.Tests.Shared;

public sealed class SecretMaskerTests
{
    private const string Secret = "hunter2-Pa$$word/+";
    private static readonly SecretMasker Masker = new([Secret, "ab"]);

    [Theory]
    [InlineData("password is hunter2-Pa$$word/+ ok")]
    [InlineData("url ?p=hunter2-Pa%24%24word%2F%2B&x=1")]
    [InlineData("form p=hunter2-Pa%24%24word%2f%2b")]
    public void Plain_and_url_encoded_values_are_masked(string line) =>
        Assert.DoesNotContain("hunter2", Mask(line), StringComparison.Ordinal);

    [Theory]
    [InlineData("")]
    [InlineData("user:")]
    [InlineData("u:")]
    [InlineData("longer-user:")]
    public void Base64_is_masked_at_every_alignment(string prefix)
    {
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(prefix + Secret));
        var masked = Mask("Authorization: Basic " + encoded);

        Assert.Contains("***", masked, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret))[4..16], masked, StringComparison.Ordinal);
    }

    [Fact]
    public void Short_values_and_clean_lines_are_left_alone()
    {
        var line = Encoding.UTF8.GetBytes("abc ab cab nothing secret here");

        Assert.Same(line, Masker.Apply(line));
    }

    private static string Mask(string line) => Encoding.UTF8.GetString(Masker.Apply(Encoding.UTF8.GetBytes(line)));
}
