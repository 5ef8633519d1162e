using Byot.Shared.Cases;
using Xunit;

namespace Byot.Tests.Cases;

/// <summary>The one naming rule for every parser: control characters and broken UTF-16 dropped, white space folded,
/// duplicates numbered rather than merged, long names and messages clipped.</summary>
public sealed class CaseSinkTests
{
    [Fact]
    public void Names_lose_control_characters_and_lone_surrogates_and_keep_real_ones()
    {
        var sink = new CaseSink(CaseLimits.Default);
        sink.Add("check\u0001out\r\n", "pays \uD800with\uFFFD card 💳", CaseStatus.Passed);

        var only = Assert.Single(sink.Cases);
        Assert.Equal("check out", only.Suite);
        Assert.Equal("pays with card 💳", only.Name);
        Assert.Equal("check out › pays with card 💳", only.Key);
    }

    [Fact]
    public void Duplicates_are_kept_apart_and_long_text_is_clipped()
    {
        var sink = new CaseSink(new CaseLimits(MaxNameChars: 10, MaxMessageChars: 5));
        sink.Add("s", "same", CaseStatus.Passed);
        sink.Add("s", "same", CaseStatus.Failed, message: "0123456789");
        sink.Add("", new string('n', 50), CaseStatus.Passed);

        Assert.Equal(["s › same", "s › same #2", "nnnnnnnnnn"], sink.Cases.Select(c => c.Key));
        Assert.Equal("01234…", sink.Cases[1].Message);
    }
}
