using System.Text;
using Byot.Shared.Cases;
using Xunit;

namespace Byot.Tests.Cases;

/// <summary>A real Playwright JSON report: the passing spec, the failing one with its message (colour codes
/// stripped), and the one Playwright itself marked flaky after its retry.</summary>
public sealed class PlaywrightReportParserTests
{
    [Fact]
    public async Task Real_report_gives_passed_failed_and_flaky_cases()
    {
        var sink = new CaseSink(CaseLimits.Default);
        await using (var file = File.OpenRead(Fixture.PathOf("playwright.report.json")))
        {
            await PlaywrightReportParser.ParseAsync(file, "report.json", sink, CancellationToken.None);
        }

        var byKey = sink.Cases.ToDictionary(c => c.Key);
        Assert.Equal(3, sink.Cases.Count);
        Assert.Equal(CaseStatus.Passed, byKey["shop.spec.js › checkout page has a pay button"].Status);
        var failed = byKey["shop.spec.js › checkout shows total"];
        Assert.Equal(CaseStatus.Failed, failed.Status);
        Assert.Equal(1, failed.Retries);
        Assert.Contains("toBeVisible", failed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", failed.Message, StringComparison.Ordinal);
        var flaky = byKey["flaky.spec.js › search filters (flaky)"];
        Assert.Equal(CaseStatus.Passed, flaky.Status);
        Assert.True(flaky.Flaky);
        Assert.Empty(sink.Warnings);
    }

    [Fact]
    public async Task A_report_over_the_size_cap_is_not_read()
    {
        var sink = new CaseSink(new CaseLimits(MaxJsonReportBytes: 1_000));
        await using var big = new MemoryStream(Encoding.UTF8.GetBytes("{\"suites\":[" + new string(' ', 5_000) + "]}"));
        await PlaywrightReportParser.ParseAsync(big, "report.json", sink, CancellationToken.None);

        Assert.Empty(sink.Cases);
        Assert.Contains(sink.Warnings, w => w.Contains("1000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Truncated_json_is_a_warning()
    {
        var sink = new CaseSink(CaseLimits.Default);
        await using var cut = new MemoryStream(Encoding.UTF8.GetBytes("{\"suites\":[{\"title\":\"a.spec.ts\",\"specs\":[{\"title\":"));
        await PlaywrightReportParser.ParseAsync(cut, "report.json", sink, CancellationToken.None);

        Assert.Empty(sink.Cases);
        Assert.Single(sink.Warnings);
    }
}
