using System.Text.Json;
using Byot.Functions.Http;
using Xunit;

namespace Byot.Tests.CaseRuns;

/// <summary>The case routes, called through the real function class.</summary>
public static class CaseApi
{
    public static Task<TestResponse> RunCasesAsync(this FunctionsClient client, string runId, string query = "") =>
        client.InvokeAsync("GET", $"/runs/{runId}/cases{query}", r => client.Function<CasesFunctions>().GetRunCases(r, runId, CancellationToken.None));

    public static Task<TestResponse> TestCasesAsync(this FunctionsClient client, string testId) =>
        client.InvokeAsync("GET", $"/tests/{testId}/cases", r => client.Function<CasesFunctions>().GetTestCases(r, testId, CancellationToken.None));

    public static Task<TestResponse> CaseHistoryAsync(this FunctionsClient client, string testId, string caseId, string query = "") =>
        client.InvokeAsync("GET", $"/tests/{testId}/cases/{caseId}{query}", r => client.Function<CasesFunctions>().GetTestCase(r, testId, caseId, CancellationToken.None));

    public static Task<TestResponse> QuarantineAsync(this FunctionsClient client, string testId, string caseId, string? json) =>
        client.InvokeAsync("PUT", $"/tests/{testId}/cases/{caseId}/quarantine", r => client.Function<CasesFunctions>().Quarantine(r, testId, caseId, CancellationToken.None),
            json is null ? null : new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), "application/json");

    public static Task<TestResponse> UnquarantineAsync(this FunctionsClient client, string testId, string caseId) =>
        client.InvokeAsync("DELETE", $"/tests/{testId}/cases/{caseId}/quarantine", r => client.Function<CasesFunctions>().Unquarantine(r, testId, caseId, CancellationToken.None));

    /// <summary>Every case of the run, all pages, as (key, status, attempt).</summary>
    public static async Task<List<(string Key, string Status, int Attempt, JsonElement Case)>> AllRunCasesAsync(this FunctionsClient client, Guid runId, string status = "")
    {
        var all = new List<(string, string, int, JsonElement)>();
        string? cursor = null;
        do
        {
            var query = "?limit=5000" + (status.Length > 0 ? "&status=" + status : "") + (cursor is null ? "" : "&cursor=" + cursor);
            var page = await client.RunCasesAsync(runId.ToString(), query);
            Assert.True(page.Status == 200, page.ToString());
            foreach (var c in page.Json.GetProperty("cases").EnumerateArray())
            {
                all.Add((c.GetProperty("key").GetString()!, c.GetProperty("status").GetString()!, c.GetProperty("attempt").GetInt32(), c.Clone()));
            }

            cursor = page.Json.GetProperty("next").GetString();
        }
        while (cursor is not null);
        return all;
    }
}
