
namespace Byot.Tests.Status;

/// <summary>Flows in every state, with real run rows behind them.</summary>
internal static class StatusBoardFixture
{
    public const string RedName = "Checkout <script>alert(1)</script> & pay";

    public static async Task<Dictionary<string, Guid>> SeedAsync(ByotEnvironment environment, ByotApi api)
    {
        var flows = new Dictionary<string, Guid>
        {
            ["green"] = await CreateAsync(api, "Login", "P1"),
            ["red"] = await CreateAsync(api, RedName, "P0"),
            ["amber"] = await CreateAsync(api, "Search", "P2"),
            ["flaky"] = await CreateAsync(api, "Recommendations", "P3"),
            ["grey"] = await CreateAsync(api, "New flow", "P2"),
            ["disabled"] = await CreateAsync(api, "Old flow", "P3"),
        };

        await RunsAsync(environment, flows["green"], "failed", "passed", "infra_error", "passed");
        await RunsAsync(environment, flows["red"], "passed", "failed", "timed_out", "oom");
        await RunsAsync(environment, flows["amber"], "passed", "passed", "failed");
        await RunsAsync(environment, flows["flaky"], "passed", "failed", "passed", "failed", "passed", "failed", "passed");
        await RunsAsync(environment, flows["disabled"], "passed");
        await api.PatchTestAsync(flows["disabled"].ToString(), """{"enabled": false}""");
        return flows;
    }

    private static async Task<Guid> CreateAsync(ByotApi api, string name, string severity)
    {
        var response = await api.UploadAsync("#!/bin/sh\n"u8.ToArray(), fields: [("runtime", "go"), ("severity", severity), ("name", name), ("failure_threshold", "3")]);
        return response.Json.GetProperty("id").GetGuid();
    }

    /// <summary>Finished runs, oldest first, a minute apart, the last one a minute ago.</summary>
    private static async Task RunsAsync(ByotEnvironment environment, Guid testId, params string[] statuses)
    {
        for (var i = 0; i < statuses.Length; i++)
        {
            var ago = TimeSpan.FromMinutes(statuses.Length - i);
            await environment.ScalarAsync("""
                WITH i AS (INSERT INTO runs (id, test_id, trigger, artifact_version, status, queued_at, started_at, finished_at, duration_ms)
                           VALUES (gen_random_uuid(), @t, 'schedule', 1, @s, now() - @ago, now() - @ago, now() - @ago, 1500) RETURNING 1)
                SELECT count(*) FROM i
                """, ("t", testId), ("s", statuses[i]), ("ago", ago));
        }
    }
}
