using System.Text.Json;
using Byot.Functions.Http;
using Xunit;

namespace Byot.Tests.Infrastructure;

/// <summary>The seed's API calls, made through the real function classes.</summary>
public sealed class ByotApi(FunctionsClient client)
{
    public async Task<TestResponse> UploadAsync(
        byte[]? file,
        string fileName = "checkout.test",
        IEnumerable<(string Name, string Value)>? fields = null,
        bool fileFirst = true)
    {
        var (body, contentType) = await Multipart.BuildAsync(
            fields ?? [], file is null ? null : ("binary", fileName, file), fileFirst);
        await using (body)
        {
            return await client.InvokeAsync("POST", "/uploadBinary",
                r => client.Function<TestsFunctions>().UploadBinary(r, CancellationToken.None), body, contentType);
        }
    }

    public async Task<Guid> UploadOkAsync(byte[] file, string runtime, string severity = "P1", string fileName = "checkout.test")
    {
        var response = await UploadAsync(file, fileName, [("runtime", runtime), ("severity", severity)]);
        Assert.True(response.Status == 201, response.ToString());
        Assert.Equal("binary uploaded successfully", response.Json.GetProperty("message").GetString());
        return response.Json.GetProperty("id").GetGuid();
    }

    public Task<TestResponse> RunNowAsync(string testId) =>
        client.InvokeAsync("POST", $"/run/{testId}", r => client.Function<RunsFunctions>().RunNow(r, testId, CancellationToken.None));

    public async Task<Guid> RunNowOkAsync(Guid testId)
    {
        var response = await RunNowAsync(testId.ToString());
        Assert.True(response.Status == 202, response.ToString());
        Assert.Equal("queued", response.Json.GetProperty("status").GetString());
        return response.Json.GetProperty("id").GetGuid();
    }

    public Task<TestResponse> GetRunAsync(string runId) =>
        client.InvokeAsync("GET", $"/runs/{runId}", r => client.Function<RunsFunctions>().GetRun(r, runId, CancellationToken.None));

    public Task<TestResponse> GetLogsAsync(string runId) =>
        client.InvokeAsync("GET", $"/runs/{runId}/logs", r => client.Function<RunsFunctions>().GetRunLogs(r, runId, CancellationToken.None));

    public Task<TestResponse> HealthAsync() =>
        client.InvokeAsync("GET", "/health", r => client.Function<HealthFunctions>().Get(r, CancellationToken.None));

    /// <summary>Polls GET /runs/{id} until the run is in a final state.</summary>
    public async Task<JsonElement> WaitForFinalAsync(Guid runId, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            var response = await GetRunAsync(runId.ToString());
            Assert.True(response.Status == 200, response.ToString());
            var status = response.Json.GetProperty("status").GetString();
            if (status is not ("queued" or "running"))
            {
                return response.Json.Clone();
            }

            Assert.True(DateTime.UtcNow < deadline, $"run {runId} still {status} after the wait");
            await Task.Delay(100);
        }
    }
}
