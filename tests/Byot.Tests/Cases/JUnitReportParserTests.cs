using System.Text;
using Byot.Shared.Cases;
using Xunit;

namespace Byot.Tests.Cases;

/// <summary>pytest running python3-jsonschema's own tests, Playwright's JUnit reporter, Surefire's rerun elements,
/// and reports that are malformed, hostile or huge.</summary>
public sealed class JUnitReportParserTests
{
    [Fact]
    public async Task Pytest_report_of_jsonschemas_own_suite_gives_409_cases_4_skipped()
    {
        var sink = await ParseFileAsync("pytest-jsonschema.junit.xml");

        Assert.Equal(409, sink.Cases.Count);
        Assert.Equal(405, Fixture.Count(sink, CaseStatus.Passed));
        Assert.Equal(4, Fixture.Count(sink, CaseStatus.Skipped));
        Assert.Contains(sink.Cases, c => c.Key == "test_cli.TestCLI › test_custom_error_format");
        Assert.Empty(sink.Warnings);
    }

    [Fact]
    public async Task Playwright_junit_report_names_the_failure()
    {
        var sink = await ParseFileAsync("playwright.junit.xml");

        Assert.Equal(3, sink.Cases.Count);
        var failed = Assert.Single(sink.Cases, c => c.Status == CaseStatus.Failed);
        Assert.Contains("checkout shows total", failed.Name, StringComparison.Ordinal);
        Assert.NotNull(failed.Output);
    }

    [Fact]
    public async Task Surefire_flaky_and_rerun_failures()
    {
        var sink = await ParseAsync("""
            <testsuite name="com.shop.CheckoutIT" tests="3">
              <testcase name="paysWithSavedCard" classname="com.shop.CheckoutIT" time="1.5">
                <flakyFailure message="timeout" type="java.net.SocketTimeoutException"><stackTrace>at x</stackTrace></flakyFailure>
              </testcase>
              <testcase name="appliesCoupon" classname="com.shop.CheckoutIT" time="0.2">
                <failure message="expected 10 but was 12" type="AssertionError">trace</failure>
                <rerunFailure message="expected 10 but was 12" type="AssertionError"/>
                <rerunFailure message="expected 10 but was 12" type="AssertionError"/>
              </testcase>
              <testcase name="crashes" classname="com.shop.CheckoutIT"><error message="NPE" type="NullPointerException"/></testcase>
            </testsuite>
            """);

        var byName = sink.Cases.ToDictionary(c => c.Name);
        Assert.Equal(CaseStatus.Passed, byName["paysWithSavedCard"].Status);
        Assert.True(byName["paysWithSavedCard"].Flaky);
        Assert.Equal(1, byName["paysWithSavedCard"].Retries);
        Assert.Equal(1500, byName["paysWithSavedCard"].DurationMs);
        Assert.Equal(CaseStatus.Failed, byName["appliesCoupon"].Status);
        Assert.False(byName["appliesCoupon"].Flaky);
        Assert.Equal(2, byName["appliesCoupon"].Retries);
        Assert.Equal("expected 10 but was 12", byName["appliesCoupon"].Message);
        Assert.Equal(CaseStatus.Errored, byName["crashes"].Status);
    }

    [Fact]
    public async Task Malformed_xml_keeps_the_cases_before_it_and_warns()
    {
        var sink = await ParseAsync("<testsuites><testsuite name=\"s\"><testcase name=\"one\"/><testcase name=\"two\"><failure>x</testcase></testsuite>");

        Assert.Single(sink.Cases);
        Assert.Contains(sink.Warnings, w => w.Contains("not well-formed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Entity_expansion_is_refused_not_expanded()
    {
        var sink = await ParseAsync("""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><testsuite><testcase name="&b;"/></testsuite>""");

        Assert.Empty(sink.Cases);
        Assert.Single(sink.Warnings);
    }

    [Fact]
    public async Task Fifty_thousand_cases_are_capped_and_a_huge_output_is_clipped()
    {
        var xml = new StringBuilder("<testsuite name=\"big\">");
        xml.Append("<testcase name=\"chatty\"><failure message=\"m\">").Append('x', 5_000_000).Append("</failure></testcase>");
        for (var i = 0; i < 50_000; i++)
        {
            xml.Append("<testcase name=\"case ").Append(i).Append("\" classname=\"big\"/>");
        }

        var sink = await ParseAsync(xml.Append("</testsuite>").ToString());

        Assert.Equal(CaseLimits.Default.MaxCases, sink.Cases.Count);
        Assert.Equal(50_001 - CaseLimits.Default.MaxCases, sink.Dropped);
        Assert.True(sink.Cases[0].Output!.Length <= CaseLimits.Default.MaxMessageChars + 1);
    }

    [Fact]
    public async Task White_space_in_names_is_folded_into_the_stable_key()
    {
        var sink = await ParseAsync("<testsuite name=\"s\"><testcase classname=\"a&#x9;\tb\" name=\"pays\n   now\"/></testsuite>");

        Assert.Equal("a b › pays now", Assert.Single(sink.Cases).Key);
    }

    private static async Task<CaseSink> ParseFileAsync(string name)
    {
        var sink = new CaseSink(CaseLimits.Default);
        await using var file = File.OpenRead(Fixture.PathOf(name));
        await JUnitReportParser.ParseAsync(file, name, sink, CancellationToken.None);
        return sink;
    }

    private static async Task<CaseSink> ParseAsync(string xml)
    {
        var sink = new CaseSink(CaseLimits.Default);
        await using var stream = new MemoryStream(Encoding.UTF8.GetBytes(xml));
        await JUnitReportParser.ParseAsync(stream, "report.xml", sink, CancellationToken.None);
        return sink;
    }
}
