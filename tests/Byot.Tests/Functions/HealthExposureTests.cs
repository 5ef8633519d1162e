using Byot.Functions.Http;
using Xunit;

namespace Byot.Tests.Functions;

/// <summary>Anonymous <c>/health</c> says only ok or down per dependency: no host names, ports or exception text
/// of a failing dependency reach a caller without a key.</summary>
public sealed class HealthExposureTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>
{
    [Fact]
    public async Task A_down_dependency_is_only_down_on_the_anonymous_route_and_explained_on_the_keyed_one()
    {
        await using var client = new FunctionsClient(environment, new Dictionary<string, string?>
        {
            ["Byot:Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=postgres;Password=postgres;Database=byot;Timeout=2",
        });

        var terse = await new ByotApi(client).HealthAsync();
        var details = await client.InvokeAsync("GET", "/health/details", r => client.Function<HealthFunctions>().Details(r, CancellationToken.None));

        Assert.Equal(503, terse.Status);
        Assert.Equal("down", terse.Json.GetProperty("checks").GetProperty("postgres").GetString());
        Assert.All(terse.Json.GetProperty("checks").EnumerateObject(), c => Assert.True(c.Value.GetString() is "ok" or "down", c.ToString()));
        Assert.DoesNotContain("127.0.0.1", terse.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", terse.Text, StringComparison.Ordinal);
        Assert.Equal(503, details.Status);
        Assert.StartsWith("down: ", details.Json.GetProperty("checks").GetProperty("postgres").GetString(), StringComparison.Ordinal);
    }
}
