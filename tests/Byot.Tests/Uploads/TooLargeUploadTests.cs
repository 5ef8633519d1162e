using System.Text.RegularExpressions;
using Xunit;

namespace Byot.Tests.Uploads;

/// <summary>A one-request upload over BYOT's limit gets BYOT's 413 problem+json, and it names the direct path by
/// routes that exist (the OpenAPI document, which the metadata test ties to the real routes).</summary>
public sealed partial class TooLargeUploadTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>
{
    [Fact]
    public async Task Too_large_for_one_request_is_413_naming_the_direct_path_routes()
    {
        await using var client = new FunctionsClient(environment, new Dictionary<string, string?> { ["Byot:Upload:MaxArtifactBytes"] = "1024" });

        var response = await new ByotApi(client).UploadAsync(new byte[1025], fields: [("runtime", "go")]);

        Assert.Equal(413, response.Status);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        var detail = response.Json.GetProperty("detail").GetString()!;
        var named = Route().Matches(detail).Select(m => $"{m.Groups[1].Value.ToLowerInvariant()} {m.Groups[2].Value}").ToList();
        Assert.Equal(["post /uploads", "post /tests/{id}/uploads", "post /uploads/{uploadId}/commit"], named);
        var document = System.Text.Json.JsonDocument.Parse(
            typeof(Byot.Functions.Http.OpenApiFunctions).Assembly.GetManifestResourceStream("Byot.Functions.Http.openapi.json")!).RootElement;
        foreach (var route in named)
        {
            var (method, path) = (route.Split(' ')[0], route.Split(' ')[1]);
            Assert.True(document.GetProperty("paths").TryGetProperty(path, out var item) && item.TryGetProperty(method, out _), $"the 413 names {route}, which is not a route");
        }
    }

    [GeneratedRegex(@"\b(POST|GET) (/[A-Za-z{}/]+[A-Za-z}])")]
    private static partial Regex Route();
}
