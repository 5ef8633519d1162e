using Xunit;

namespace Byot.Tests.Functions;

public sealed class HealthTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>
{
    [Fact]
    public async Task All_dependencies_up_is_200_ok()
    {
        await using var client = new FunctionsClient(environment);

        var response = await new ByotApi(client).HealthAsync();

        Assert.Equal(200, response.Status);
        Assert.Equal("ok", response.Json.GetProperty("status").GetString());
        foreach (var check in new[] { "postgres", "blob", "queue" })
        {
            Assert.Equal("ok", response.Json.GetProperty("checks").GetProperty(check).GetString());
        }
    }

    [Fact]
    public async Task Storage_unreachable_is_503_naming_blob_and_queue()
    {
        // Nothing listens on port 1: the connection is refused at once.
        await using var client = new FunctionsClient(environment, new Dictionary<string, string?>
        {
            ["Byot:Storage:ConnectionString"] = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;QueueEndpoint=http://127.0.0.1:1/devstoreaccount1;",
        });

        var response = await Details(client);

        Assert.Equal(503, response.Status);
        var checks = response.Json.GetProperty("checks");
        Assert.Equal("down", response.Json.GetProperty("status").GetString());
        Assert.Equal("ok", checks.GetProperty("postgres").GetString());
        Assert.StartsWith("down:", checks.GetProperty("blob").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("down:", checks.GetProperty("queue").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postgres_unreachable_is_503_naming_postgres()
    {
        await using var client = new FunctionsClient(environment, new Dictionary<string, string?>
        {
            ["Byot:Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=postgres;Password=postgres;Database=byot;Timeout=2",
        });

        var response = await Details(client);

        Assert.Equal(503, response.Status);
        var checks = response.Json.GetProperty("checks");
        Assert.StartsWith("down:", checks.GetProperty("postgres").GetString(), StringComparison.Ordinal);
        Assert.Equal("ok", checks.GetProperty("blob").GetString());
        Assert.Equal("ok", checks.GetProperty("queue").GetString());
    }

    private static Task<TestResponse> Details(FunctionsClient client) =>
        client.InvokeAsync("GET", "/health/details", r => client.Function<Byot.Functions.Http.HealthFunctions>().Details(r, CancellationToken.None));
}
