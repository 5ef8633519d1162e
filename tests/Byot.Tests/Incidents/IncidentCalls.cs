using System.Text;
using System.Text.Json;
using Byot.Functions.Http;
using Byot.Tests.Alerts;
using Xunit;

namespace Byot.Tests.Incidents;

/// <summary>The incident routes, called in-process through the alert harness's Functions app.</summary>
internal static class IncidentCalls
{
    public static Task<TestResponse> ListAsync(this AlertHarness h, string query = "") =>
        h.Client.InvokeAsync("GET", "/incidents" + query, r => h.Client.Function<IncidentsFunctions>().List(r, CancellationToken.None));

    public static Task<TestResponse> GetIncidentAsync(this AlertHarness h, string id) =>
        h.Client.InvokeAsync("GET", $"/incidents/{id}", r => h.Client.Function<IncidentsFunctions>().Get(r, id, CancellationToken.None));

    public static Task<TestResponse> AckAsync(this AlertHarness h, string id, string? body = null) =>
        h.Client.InvokeAsync("POST", $"/incidents/{id}/ack", r => h.Client.Function<IncidentsFunctions>().Acknowledge(r, id, CancellationToken.None),
            body is null ? null : new MemoryStream(Encoding.UTF8.GetBytes(body)), body is null ? null : "application/json");

    public static Task<TestResponse> ResolveAsync(this AlertHarness h, string id, string? body) =>
        h.Client.InvokeAsync("POST", $"/incidents/{id}/resolve", r => h.Client.Function<IncidentsFunctions>().Resolve(r, id, CancellationToken.None),
            body is null ? null : new MemoryStream(Encoding.UTF8.GetBytes(body)), body is null ? null : "application/json");

    /// <summary>The test's open incident id, as GET /tests/{id}/alerts shows it.</summary>
    public static async Task<string> OpenIncidentAsync(this AlertHarness h, Guid testId)
    {
        var open = (await h.AlertsAsync(testId)).GetProperty("openIncident");
        Assert.Equal(JsonValueKind.Object, open.ValueKind);
        return open.GetProperty("id").GetString()!;
    }

    public static async Task<JsonElement> IncidentAsync(this AlertHarness h, string id)
    {
        var response = await h.GetIncidentAsync(id);
        Assert.True(response.Status == 200, response.ToString());
        return response.Json.Clone();
    }

    public static string[] TimelineTypes(JsonElement detail) =>
        [.. detail.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("type").GetString()!)];
}
