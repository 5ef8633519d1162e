using System.Text.Json;
using Byot.Shared.Domain;
using Byot.Tests.Alerts;
using Byot.Tests.Incidents;
using Xunit;

namespace Byot.Tests.Dependencies;

/// <summary>Dependencies through the real completion path on Postgres: auth down and its dependents failing make one
/// incident and one page, which lists them; once auth recovers, each dependent still failing opens its own at its next
/// failure; chains join the root's incident; and a dependency's result racing a dependent's ends consistently.</summary>
public sealed class DependencyIncidentTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private AlertHarness h = null!;

    public async Task InitializeAsync() => h = await AlertHarness.StartAsync(environment);

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task Auth_down_and_three_dependents_failing_make_one_incident_and_one_page_which_lists_them_and_after_auth_recovers_each_opens_its_own()
    {
        var tag = $"service:auth-{Guid.NewGuid().ToString("N")[..8]}";
        var auth = await CreateAsync("auth", tags: tag);
        var checkout = await CreateAsync("checkout", dependsOn: $"tag:{tag}");
        var cart = await CreateAsync("cart", dependsOn: $"tag:{tag}");
        var search = await CreateAsync("search", dependsOn: auth.ToString());
        Guid[] all = [auth, checkout, cart, search];
        Guid[] dependents = [checkout, cart, search];

        await h.RecordAsync(auth, RunStatus.Failed);
        foreach (var dependent in dependents)
        {
            await h.RecordAsync(dependent, RunStatus.Failed);
            await h.RecordAsync(dependent, RunStatus.Failed);
        }

        Assert.Equal(1, await IncidentsAsync(all));
        Assert.Equal(1, await TriggersAsync(all));
        var incidentId = await h.OpenIncidentAsync(auth);
        var incident = await h.IncidentAsync(incidentId);
        Assert.Equal(["cart", "checkout", "search"], incident.GetProperty("dependents").EnumerateArray().Select(d => d.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        var joined = Timeline(incident, "dependent_joined");
        Assert.Contains("checkout joined: failing while auth is down", joined);
        Assert.Equal(3, joined.Count);
        foreach (var dependent in dependents)
        {
            Assert.Equal(JsonValueKind.Null, (await h.AlertsAsync(dependent)).GetProperty("openIncident").ValueKind);
        }

        // The one page: delivered once, to the P1 route (PagerDuty low + Teams), whatever the dependents did.
        await h.DeliverAsync();
        await h.DeliverAsync();
        Assert.Single(h.Http.At("/pd"));

        // cart passes again while auth is still down: noted on auth's incident.
        await h.RecordAsync(cart, RunStatus.Passed);
        Assert.Single(Timeline(await h.IncidentAsync(incidentId), "dependent_recovered"), "cart passed again");

        await h.RecordAsync(auth, RunStatus.Passed);
        Assert.Equal(0, await OpenIncidentsAsync(all));

        // Still failing after auth recovered: each opens its own at its next failure; cart, passing, does not.
        await h.RecordAsync(checkout, RunStatus.Failed);
        await h.RecordAsync(search, RunStatus.Failed);
        await h.RecordAsync(cart, RunStatus.Passed);
        Assert.Equal(1, await OpenIncidentsAsync([checkout]));
        Assert.Equal(1, await OpenIncidentsAsync([search]));
        Assert.Equal(0, await OpenIncidentsAsync([cart]));
        Assert.Equal(3, await TriggersAsync(all));

        // A retried or repeated result changes nothing more: one open incident each.
        await h.RecordAsync(checkout, RunStatus.Failed);
        Assert.Equal(1, await OpenIncidentsAsync([checkout]));
        Assert.Equal(3, await TriggersAsync(all));
    }

    [Fact]
    public async Task A_dependent_of_a_dependent_joins_the_root_incident()
    {
        var auth = await CreateAsync("auth-chain");
        var checkout = await CreateAsync("checkout-chain", dependsOn: auth.ToString());
        var payments = await CreateAsync("payments-chain", dependsOn: checkout.ToString());

        await h.RecordAsync(auth, RunStatus.Failed);
        await h.RecordAsync(checkout, RunStatus.Failed);
        await h.RecordAsync(payments, RunStatus.Failed);

        Assert.Equal(1, await IncidentsAsync([auth, checkout, payments]));
        var incident = await h.IncidentAsync(await h.OpenIncidentAsync(auth));
        Assert.Equal(["checkout-chain", "payments-chain"], incident.GetProperty("dependents").EnumerateArray().Select(d => d.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task A_dependency_opening_its_incident_while_a_dependent_records_its_failure_ends_in_one_of_the_two_orders()
    {
        for (var round = 0; round < 6; round++)
        {
            var auth = await CreateAsync($"auth-race-{round}");
            var checkout = await CreateAsync($"checkout-race-{round}", dependsOn: auth.ToString());

            await Task.WhenAll(h.RecordAsync(auth, RunStatus.Failed), h.RecordAsync(checkout, RunStatus.Failed));

            // Either checkout's failure was decided first (its own incident) or after auth's incident opened (joined).
            await AssertOneOutcomeAsync(auth, checkout);
        }
    }

    [Fact]
    public async Task A_dependency_resolving_while_a_dependent_fails_ends_in_one_of_the_two_orders()
    {
        for (var round = 0; round < 6; round++)
        {
            var auth = await CreateAsync($"auth-resolve-{round}");
            var checkout = await CreateAsync($"checkout-resolve-{round}", dependsOn: auth.ToString());
            await h.RecordAsync(auth, RunStatus.Failed);

            await Task.WhenAll(h.RecordAsync(auth, RunStatus.Passed), h.RecordAsync(checkout, RunStatus.Failed));

            Assert.Equal(0, await OpenIncidentsAsync([auth]));
            await AssertOneOutcomeAsync(auth, checkout);
        }
    }

    /// <summary>checkout (threshold 1, failed once) is either listed on auth's incident with no incident of its own, or
    /// has its own open incident and is listed nowhere; its state says the same; every incident paged exactly once.</summary>
    private async Task AssertOneOutcomeAsync(Guid auth, Guid checkout)
    {
        var listed = await environment.ScalarAsync("SELECT count(*) FROM incident_dependents WHERE test_id = @t", ("t", checkout));
        var own = await OpenIncidentsAsync([checkout]);
        Assert.True(listed + own == 1, $"checkout listed on auth's incident {listed} time(s), with {own} incident(s) of its own");
        Assert.Equal(listed, await environment.ScalarAsync(
            "SELECT count(*) FROM alert_state s JOIN incidents i ON i.id = s.joined_incident_id WHERE s.test_id = @t AND i.test_id = @a AND s.open_incident_id IS NULL",
            ("t", checkout), ("a", auth)));
        Assert.Equal(await IncidentsAsync([auth, checkout]), await TriggersAsync([auth, checkout]));
    }

    private async Task<Guid> CreateAsync(string name, string? dependsOn = null, string? tags = null)
    {
        var fields = new List<(string, string)> { ("runtime", "go"), ("name", name), ("severity", "P1"), ("failure_threshold", "1") };
        if (dependsOn is not null)
        {
            fields.Add(("depends_on", dependsOn));
        }

        if (tags is not null)
        {
            fields.Add(("tags", tags));
        }

        var response = await h.Api.UploadAsync("#!/bin/sh\nexit 0\n"u8.ToArray(), "x.test", fields);
        Assert.True(response.Status == 201, response.ToString());
        return response.Json.GetProperty("id").GetGuid();
    }

    private static List<string> Timeline(JsonElement incident, string type) =>
        [.. incident.GetProperty("timeline").EnumerateArray().Where(e => e.GetProperty("type").GetString() == type).Select(e => e.GetProperty("text").GetString()!)];

    private Task<long> IncidentsAsync(Guid[] tests) =>
        environment.ScalarAsync("SELECT count(*) FROM incidents WHERE test_id = ANY(@t)", ("t", tests));

    private Task<long> OpenIncidentsAsync(Guid[] tests) =>
        environment.ScalarAsync("SELECT count(*) FROM incidents WHERE test_id = ANY(@t) AND resolved_at IS NULL", ("t", tests));

    private Task<long> TriggersAsync(Guid[] tests) =>
        environment.ScalarAsync(
            "SELECT count(*) FROM notifications n JOIN incidents i ON i.id = n.incident_id WHERE i.test_id = ANY(@t) AND n.kind = 'trigger' AND n.channel = '@route'",
            ("t", tests));
}
