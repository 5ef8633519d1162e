using Byot.Shared.Cases;
using Xunit;

namespace Byot.Tests.Cases;

/// <summary>minimist's own tape suite (TAP 13), Node's test runner with nested subtests, and streams that are not
/// TAP, or end without a plan.</summary>
public sealed class TapParserTests
{
    [Fact]
    public void Minimist_tape_suite_gives_153_assertions_under_their_test_names()
    {
        var sink = Fixture.Lines("minimist.tape.tap", s => new TapParser(s));

        Assert.Equal(153, sink.Cases.Count);
        Assert.Equal(153, Fixture.Count(sink, CaseStatus.Passed));
        Assert.Equal(61, sink.Cases.Select(c => c.Suite).Distinct().Count());
        Assert.Equal("flag boolean true (default all --args to boolean) › should be deeply equivalent", sink.Cases[0].Key);
        Assert.Equal("flag boolean true (default all --args to boolean) › should be deeply equivalent #2", sink.Cases[1].Key);
        Assert.Empty(sink.Warnings);
    }

    [Fact]
    public void Node_test_runner_subtests_skip_and_todo()
    {
        var sink = Fixture.Lines("node-test.tap", s => new TapParser(s));

        var byKey = sink.Cases.ToDictionary(c => c.Key);
        Assert.Equal(5, sink.Cases.Count);
        Assert.Equal(CaseStatus.Passed, byKey["cart › adds an item"].Status);
        var removed = byKey["cart › removes an item"];
        Assert.Equal(CaseStatus.Failed, removed.Status);
        Assert.Equal("1 == 2", removed.Message);
        Assert.Contains("failureType: 'testCodeFailure'", removed.Output, StringComparison.Ordinal);
        Assert.Equal(CaseStatus.Skipped, byKey["cart › applies a coupon"].Status);
        Assert.Equal("coupons are off", byKey["cart › applies a coupon"].Message);
        Assert.Equal(CaseStatus.Skipped, byKey["cart › ships abroad"].Status);
        Assert.Equal(CaseStatus.Passed, byKey["top level passes"].Status);
        Assert.Empty(sink.Warnings);
    }

    [Fact]
    public void Output_that_is_not_tap_gives_no_cases()
    {
        var sink = Fixture.Lines(["ok", "ok 1 - looks like tap but no version line came first", "1..1"], s => new TapParser(s));

        Assert.Empty(sink.Cases);
    }

    [Fact]
    public void An_unterminated_stream_keeps_its_cases_and_says_it_was_cut_short()
    {
        var sink = Fixture.Lines(["TAP version 14", "ok 1 - first", "not ok 2 - second", "  ---", "  message: 'boom'"], s => new TapParser(s));

        Assert.Equal(2, sink.Cases.Count);
        Assert.Equal("boom", sink.Cases[1].Message);
        Assert.Contains(sink.Warnings, w => w.Contains("without a plan", StringComparison.Ordinal));
    }

    [Fact]
    public void A_million_lines_keep_at_most_the_case_cap()
    {
        IEnumerable<string> Lines()
        {
            yield return "TAP version 13";
            for (var i = 1; i <= 1_000_000; i++)
            {
                yield return i % 2 == 0 ? $"ok {i} - case {i}" : $"# group {i}";
            }

            yield return "1..500000";
        }

        var sink = Fixture.Lines(Lines(), s => new TapParser(s), new CaseLimits(MaxCases: 1_000));

        Assert.Equal(1_000, sink.Cases.Count);
        Assert.Equal(499_000, sink.Dropped);
        Assert.True(sink.Truncated);
    }
}
