using System.Text;
using System.Text.Json;
using Byot.Functions.Http;
using Byot.Shared.Artifacts;
using Byot.Shared.Queue;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Byot.Tests.Locations;

/// <summary>Locations through the API on real Postgres and Azurite: upload, PATCH, run-now, history and stats, and
/// each run on its own location's shard queue.</summary>
public sealed class LocationApiTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Byot:Locations:Known:0"] = "eu-west",
        ["Byot:Locations:Known:1"] = "us-east",
        ["Byot:Locations:QueueShards"] = "2",
    };

    private FunctionsClient client = null!;
    private ByotApi api = null!;

    public async Task InitializeAsync()
    {
        client = new FunctionsClient(environment, Settings);
        api = new ByotApi(client);
        await client.Services.GetRequiredService<StorageProvisioner>().EnsureAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await client.DisposeAsync();
        await LocationQueues.DeleteAsync(environment);
    }

    [Fact]
    public async Task A_test_runs_from_the_default_location_unless_it_names_others_and_unknown_ones_are_refused()
    {
        var plain = await api.UploadOkAsync("#!/bin/sh\n"u8.ToArray(), "go");
        Assert.Equal(["default"], Locations((await api.GetTestAsync(plain.ToString())).Json));

        var named = await api.UploadAsync("#!/bin/sh\n"u8.ToArray(), fields: [("runtime", "go"), ("locations", "eu-west, us-east")]);
        Assert.Equal(201, named.Status);
        Assert.Equal(["eu-west", "us-east"], Locations((await api.GetTestAsync(named.Json.GetProperty("id").GetString()!)).Json));

        foreach (var (value, says) in new[] { ("mars", "not one this installation knows"), ("EU West", "not a location name"), (",", "names no location") })
        {
            var refused = await api.UploadAsync("#!/bin/sh\n"u8.ToArray(), fields: [("runtime", "go"), ("locations", value)]);
            Assert.Equal(400, refused.Status);
            Assert.StartsWith("application/problem+json", refused.ContentType, StringComparison.Ordinal);
            Assert.Equal("locations", refused.Json.GetProperty("field").GetString());
            Assert.Contains(says, refused.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        var patched = await api.PatchTestAsync(plain.ToString(), """{"locations": ["default", "eu-west"]}""");
        Assert.Equal(200, patched.Status);
        Assert.Equal(["default", "eu-west"], Locations(patched.Json));

        var wrongShape = await api.PatchTestAsync(plain.ToString(), """{"locations": "eu-west"}""");
        Assert.Equal(400, wrongShape.Status);
        Assert.Equal("locations", wrongShape.Json.GetProperty("field").GetString());
        var unknown = await api.PatchTestAsync(plain.ToString(), """{"locations": ["default", "mars"]}""");
        Assert.Equal(400, unknown.Status);

        // Nothing half-written: the refused patches left the locations as they were.
        Assert.Equal(["default", "eu-west"], Locations((await api.GetTestAsync(plain.ToString())).Json));
    }

    [Fact]
    public async Task Run_now_makes_one_run_per_location_each_on_its_locations_shard_and_may_name_locations()
    {
        var response = await api.UploadAsync("#!/bin/sh\n"u8.ToArray(), fields: [("runtime", "go"), ("locations", "default,eu-west")]);
        var testId = response.Json.GetProperty("id").GetGuid();

        var all = await RunNowAsync(testId, null);
        Assert.Equal(202, all.Status);
        var runs = all.Json.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(["default", "eu-west"], runs.Select(r => r.GetProperty("location").GetString()!));
        Assert.Equal(runs[0].GetProperty("id").GetGuid(), all.Json.GetProperty("id").GetGuid());

        var queue = client.Services.GetRequiredService<RunQueue>();
        foreach (var run in runs)
        {
            var location = run.GetProperty("location").GetString()!;
            var own = queue.QueueFor(testId, location);
            Assert.StartsWith(location == "default" ? environment.RunsQueue : environment.RunsQueue + "-eu-west", own, StringComparison.Ordinal);
            Assert.Contains(run.GetProperty("id").GetGuid(), await LocationQueues.VisibleRunIdsAsync(environment, own));
            foreach (var other in queue.AllQueues().Where(q => q != own))
            {
                Assert.DoesNotContain(run.GetProperty("id").GetGuid(), await LocationQueues.VisibleRunIdsAsync(environment, other));
            }
        }

        // Named: only there; a second call finds the one waiting in that location.
        var again = await RunNowAsync(testId, """{"locations": ["eu-west"]}""");
        Assert.Equal(200, again.Status);
        Assert.Equal(runs[1].GetProperty("id").GetGuid(), again.Json.GetProperty("id").GetGuid());
        Assert.Single(again.Json.GetProperty("runs").EnumerateArray());

        var elsewhere = await RunNowAsync(testId, """{"locations": ["us-east"]}""");
        Assert.Equal(400, elsewhere.Status);
        Assert.Contains("does not run from 'us-east'", elsewhere.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var malformed = await RunNowAsync(testId, """{"locations": "eu-west"}""");
        Assert.Equal(400, malformed.Status);
        Assert.Equal("locations", malformed.Json.GetProperty("field").GetString());

        var history = await api.HistoryAsync(testId.ToString(), "?location=eu-west");
        Assert.Equal(200, history.Status);
        Assert.Equal(["eu-west"], history.Json.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("location").GetString()!));
        Assert.Equal(400, (await api.HistoryAsync(testId.ToString(), "?location=EU")).Status);

        var single = await api.GetRunAsync(runs[1].GetProperty("id").GetString()!);
        Assert.Equal("eu-west", single.Json.GetProperty("location").GetString());
    }

    private Task<TestResponse> RunNowAsync(Guid testId, string? json) =>
        client.InvokeAsync("POST", $"/run/{testId}", r => client.Function<RunsFunctions>().RunNow(r, testId.ToString(), CancellationToken.None),
            json is null ? null : new MemoryStream(Encoding.UTF8.GetBytes(json)), json is null ? null : "application/json");

    private static List<string> Locations(JsonElement test) => [.. test.GetProperty("locations").EnumerateArray().Select(l => l.GetString()!)];
}
