using Byot.Shared.Cases;
using Xunit;

namespace Byot.Tests.Cases;

/// <summary>A Go test that panics prints its "--- FAIL" line before the panic (testing recovers, reports, re-panics);
/// the case errored, and the panic is its message. Seen with go-cmp's own suite run without its testdata.</summary>
public sealed class GoPanicVerdictTests
{
    [Fact]
    public void A_panic_right_after_a_fail_line_makes_the_case_errored_with_the_panic_as_its_message()
    {
        var sink = new CaseSink(CaseLimits.Default);
        var parser = new GoTestOutputParser(sink);
        foreach (var line in new[]
        {
            "=== RUN   TestOptionPanic", "--- PASS: TestOptionPanic (0.00s)",
            "=== RUN   TestDiff", "--- FAIL: TestDiff (0.00s)",
            "panic: open testdata/diffs: no such file or directory [recovered]",
            "\tpanic: open testdata/diffs: no such file or directory",
        })
        {
            parser.Line(line);
        }

        parser.Complete();

        Assert.Equal(["TestOptionPanic", "TestDiff"], sink.Cases.Select(c => c.Key));
        Assert.Equal(CaseStatus.Errored, sink.Cases[1].Status);
        Assert.Equal("panic: open testdata/diffs: no such file or directory [recovered]", sink.Cases[1].Message);
    }

    [Fact]
    public void A_fail_line_followed_by_other_output_stays_failed()
    {
        var sink = new CaseSink(CaseLimits.Default);
        var parser = new GoTestOutputParser(sink);
        foreach (var line in new[] { "=== RUN   TestPay", "    pay_test.go:12: card declined", "--- FAIL: TestPay (0.01s)", "FAIL" })
        {
            parser.Line(line);
        }

        parser.Complete();

        var only = Assert.Single(sink.Cases);
        Assert.Equal((CaseStatus.Failed, "pay_test.go:12: card declined"), (only.Status, only.Message));
    }
}
