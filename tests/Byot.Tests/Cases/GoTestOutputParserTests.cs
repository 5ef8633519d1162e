using Byot.Shared.Cases;
using Xunit;

namespace Byot.Tests.Cases;

/// <summary>go-cmp's own test suite (Debian's package) as plain -test.v text and as test2json events, and the
/// failure shapes Go prints: a failed assertion, a panic that ends the binary.</summary>
public sealed class GoTestOutputParserTests
{
    [Theory]
    [InlineData("go-cmp.v.txt")]
    [InlineData("go-cmp.test2json.txt")]
    public void Go_cmp_suite_gives_its_300_tests_and_subtests(string fixture)
    {
        var sink = Fixture.Lines(fixture, s => new GoTestOutputParser(s));

        Assert.Equal(300, sink.Cases.Count);
        Assert.Equal(300, Fixture.Count(sink, CaseStatus.Passed));
        Assert.Empty(sink.Warnings);
        Assert.Contains(sink.Cases, c => c.Name == "TestOptionPanic/AllowUnexported#01");
        Assert.Contains(sink.Cases, c => c.Name == "ExampleOption_transformComplex");
        Assert.Equal(sink.Cases.Count, sink.Cases.Select(c => c.Key).Distinct().Count());
    }

    [Fact]
    public void Failed_assertion_is_failed_with_its_message_and_a_panic_is_errored()
    {
        var sink = Fixture.Lines(
            [
                "=== RUN   TestCheckout",
                "    checkout_test.go:41: total = 9.99, want 10.99",
                "--- FAIL: TestCheckout (0.25s)",
                "=== RUN   TestSearch",
                "=== RUN   TestSearch/filters",
                "    --- SKIP: TestSearch/filters (0.00s)",
                "--- PASS: TestSearch (0.01s)",
                "=== RUN   TestPay",
                "panic: runtime error: invalid memory address or nil pointer dereference",
            ],
            s => new GoTestOutputParser(s));

        var byName = sink.Cases.ToDictionary(c => c.Name);
        Assert.Equal(CaseStatus.Failed, byName["TestCheckout"].Status);
        Assert.Equal("checkout_test.go:41: total = 9.99, want 10.99", byName["TestCheckout"].Message);
        Assert.Equal(250, byName["TestCheckout"].DurationMs);
        Assert.Equal(CaseStatus.Skipped, byName["TestSearch/filters"].Status);
        Assert.Equal(CaseStatus.Passed, byName["TestSearch"].Status);
        Assert.Equal(CaseStatus.Errored, byName["TestPay"].Status);
        Assert.Contains("panic: runtime error", byName["TestPay"].Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Test2json_failures_keep_their_output_and_package()
    {
        var sink = Fixture.Lines(
            [
                """{"Action":"run","Package":"shop/checkout","Test":"TestPay"}""",
                """{"Action":"output","Package":"shop/checkout","Test":"TestPay","Output":"=== RUN   TestPay\n"}""",
                """{"Action":"output","Package":"shop/checkout","Test":"TestPay","Output":"    pay_test.go:12: card declined\n"}""",
                """{"Action":"output","Package":"shop/checkout","Test":"TestPay","Output":"--- FAIL: TestPay (0.03s)\n"}""",
                """{"Action":"fail","Package":"shop/checkout","Test":"TestPay","Elapsed":0.03}""",
                """{"Action":"fail","Package":"shop/checkout","Elapsed":0.04}""",
                "{not json \"Action\"",
            ],
            s => new GoTestOutputParser(s));

        var pay = Assert.Single(sink.Cases);
        Assert.Equal("shop/checkout › TestPay", pay.Key);
        Assert.Equal(CaseStatus.Failed, pay.Status);
        Assert.Equal("pay_test.go:12: card declined", pay.Message);
        Assert.Equal(30, pay.DurationMs);
        Assert.Single(sink.Warnings);
    }
}
