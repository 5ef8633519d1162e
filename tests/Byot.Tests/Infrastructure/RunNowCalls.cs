using System.Text;
using Byot.Functions.Http;

namespace Byot.Tests.Infrastructure;

/// <summary>The run call with the original project's JSON body, through the real function.</summary>
public static class RunNowCalls
{
    public static Task<TestResponse> RunNowWithBodyAsync(this FunctionsClient client, string testId, string? json, string query = "") =>
        client.InvokeAsync("POST", $"/run/{testId}{query}", r => client.Function<RunsFunctions>().RunNow(r, testId, CancellationToken.None),
            json is null ? null : new MemoryStream(Encoding.UTF8.GetBytes(json)), json is null ? null : "application/json");
}
