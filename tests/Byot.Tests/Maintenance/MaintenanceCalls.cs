using System.Text;
using Byot.Functions.Http;
using Xunit;

namespace Byot.Tests.Maintenance;

/// <summary>POST /maintenance through the real function.</summary>
internal static class MaintenanceCalls
{
    public static Task<TestResponse> CreateMaintenanceAsync(this FunctionsClient client, string body) =>
        client.InvokeAsync("POST", "/maintenance", r => client.Function<MaintenanceFunctions>().Create(r, CancellationToken.None),
            new MemoryStream(Encoding.UTF8.GetBytes(body)), "application/json");

    public static async Task CreateMaintenanceOkAsync(this FunctionsClient client, string body)
    {
        var created = await client.CreateMaintenanceAsync(body);
        Assert.True(created.Status == 201, created.ToString());
    }
}
