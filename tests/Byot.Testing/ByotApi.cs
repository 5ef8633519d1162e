using System.Text.Json;
using Byot.Functions.Http;
using Xunit;

namespace Byot.Testing;

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

    public Task<TestResponse> ListTestsAsync() =>
        client.InvokeAsync("GET", "/tests", r => client.Function<TestsFunctions>().ListTests(r, CancellationToken.None));

    public Task<TestResponse> GetTestAsync(string id) =>
        client.InvokeAsync("GET", $"/tests/{id}", r => client.Function<TestsFunctions>().GetTest(r, id, CancellationToken.None));

    public Task<TestResponse> PatchTestAsync(string id, string json) =>
        client.InvokeAsync("PATCH", $"/tests/{id}", r => client.Function<TestsFunctions>().UpdateTest(r, id, CancellationToken.None),
            new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), "application/json");

    public Task<TestResponse> DeleteTestAsync(string id) =>
        client.InvokeAsync("DELETE", $"/tests/{id}", r => client.Function<TestsFunctions>().DeleteTest(r, id, CancellationToken.None));

    public async Task<TestResponse> UploadVersionAsync(string id, byte[] file, string fileName = "v2.bin")
    {
        var (body, contentType) = await Multipart.BuildAsync([], ("binary", fileName, file));
        await using (body)
        {
            return await client.InvokeAsync("POST", $"/tests/{id}/artifact", r => client.Function<TestsFunctions>().UploadArtifactVersion(r, id, CancellationToken.None), body, contentType);
        }
    }

    public Task<TestResponse> HistoryAsync(string id, string query = "") =>
        client.InvokeAsync("GET", $"/tests/{id}/runs{query}", r => client.Function<RunsFunctions>().GetTestRuns(r, id, CancellationToken.None));

    public Task<TestResponse> StatsAsync(string id) =>
        client.InvokeAsync("GET", $"/tests/{id}/stats", r => client.Function<RunsFunctions>().GetTestStats(r, id, CancellationToken.None));

    public Task<TestResponse> PutSecretAsync(string id, string name, string value, string contentType = "text/plain") =>
        client.InvokeAsync("PUT", $"/tests/{id}/secrets/{name}", r => client.Function<SecretsFunctions>().Put(r, id, name, CancellationToken.None),
            new MemoryStream(System.Text.Encoding.UTF8.GetBytes(value)), contentType);

    public Task<TestResponse> ListSecretsAsync(string id) =>
        client.InvokeAsync("GET", $"/tests/{id}/secrets", r => client.Function<SecretsFunctions>().List(r, id, CancellationToken.None));

    public Task<TestResponse> DeleteSecretAsync(string id, string name) =>
        client.InvokeAsync("DELETE", $"/tests/{id}/secrets/{name}", r => client.Function<SecretsFunctions>().Delete(r, id, name, CancellationToken.None));

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
