using Byot.Shared.Uploads;
using Xunit;

namespace Byot.Tests.Shared;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("node /app/test.js", new[] { "node", "/app/test.js" })]
    [InlineData("  sh   -c  'echo hi; exit 3' ", new[] { "sh", "-c", "echo hi; exit 3" })]
    [InlineData("run \"a \\\"quoted\\\" word\" ''", new[] { "run", "a \"quoted\" word", "" })]
    [InlineData("[\"npx\",\"playwright\",\"test\"]", new[] { "npx", "playwright", "test" })]
    public void Parses_shell_like_lines_and_json_arrays(string input, string[] expected)
    {
        var parsed = CommandLine.Parse(input, out var error);

        Assert.Null(error);
        Assert.Equal(expected, parsed);
    }

    [Theory]
    [InlineData("echo 'open", "unclosed")]
    [InlineData("[1, 2]", "JSON array of strings")]
    [InlineData("[]", "JSON array of strings")]
    public void Refuses_what_it_cannot_parse(string input, string hint)
    {
        var parsed = CommandLine.Parse(input, out var error);

        Assert.Null(parsed);
        Assert.Contains(hint, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Blank_means_no_override() => Assert.Null(CommandLine.Parse("   ", out _));
}
