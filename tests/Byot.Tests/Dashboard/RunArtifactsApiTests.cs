using Byot.Functions.Http;
using Byot.Tests.Infrastructure;
using Xunit;

namespace Byot.Tests.Dashboard;

/// <summary>GET /runs/{id}/artifacts and each file: what the dashboard shows inline and what it only downloads.</summary>
public sealed class RunArtifactsApiTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private const string Png = CheckoutScreenshot.Base64;

    private RunnerKit kit = null!;

    public async Task InitializeAsync() => kit = await RunnerKit.StartAsync(environment);

    public async Task DisposeAsync() => await kit.DisposeAsync();

    [Fact]
    public async Task Images_are_served_inline_and_anything_else_only_as_an_inert_download()
    {
        var (runId, _) = await kit.RunAsync(RunnerKit.Shell($"""
            mkdir -p /artifacts/screens
            echo '{Png}' | base64 -d > /artifacts/screens/checkout.png
            echo '<script>alert(document.domain)</script>' > /artifacts/report.html
            exit 1
            """));

        var list = await Invoke(runId, r => Function().List(r, runId.ToString(), CancellationToken.None));
        Assert.Equal(200, list.Status);
        var listed = list.Json.EnumerateArray().ToList();
        Assert.Equal(["report.html", "screens/checkout.png"], listed.Select(a => a.GetProperty("path").GetString()));
        Assert.Equal([false, true], listed.Select(a => a.GetProperty("inline").GetBoolean()));
        Assert.Equal($"/runs/{runId:D}/artifacts/screens/checkout.png", listed[1].GetProperty("links").GetProperty("self").GetString());

        var png = await Invoke(runId, r => Function().Get(r, runId.ToString(), "screens/checkout.png", CancellationToken.None));
        Assert.Equal(200, png.Status);
        Assert.Equal("image/png", png.ContentType);
        Assert.StartsWith("inline", png.Headers["Content-Disposition"], StringComparison.Ordinal);
        Assert.Equal(Convert.FromBase64String(Png), png.Body);

        var html = await Invoke(runId, r => Function().Get(r, runId.ToString(), "report.html", CancellationToken.None));
        Assert.Equal(200, html.Status);
        Assert.Equal("application/octet-stream", html.ContentType);
        Assert.StartsWith("attachment", html.Headers["Content-Disposition"], StringComparison.Ordinal);
        Assert.Equal("sandbox", html.Headers["Content-Security-Policy"]);
        Assert.Equal("nosniff", html.Headers["X-Content-Type-Options"]);
        Assert.Contains("<script>", html.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nope.png")]
    [InlineData("../screens/checkout.png")]
    [InlineData("")]
    public async Task A_file_the_run_did_not_keep_is_a_404_problem(string path)
    {
        var (runId, _) = await kit.RunAsync(RunnerKit.Shell("mkdir -p /artifacts/screens; echo x > /artifacts/screens/checkout.png"));

        var response = await Invoke(runId, r => Function().Get(r, runId.ToString(), path, CancellationToken.None));

        Assert.Equal(404, response.Status);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        Assert.Contains($"/runs/{runId:D}/artifacts lists", response.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_and_unknown_run_ids_are_400_and_404()
    {
        var malformed = await kit.Client.InvokeAsync("GET", "/runs/x/artifacts", r => Function().List(r, "x", CancellationToken.None));
        var unknown = await kit.Client.InvokeAsync("GET", "/runs/0/artifacts", r => Function().List(r, Guid.NewGuid().ToString(), CancellationToken.None));

        Assert.Equal(400, malformed.Status);
        Assert.Equal(404, unknown.Status);
    }

    private RunArtifactsFunctions Function() => kit.Client.Function<RunArtifactsFunctions>();

    private Task<TestResponse> Invoke(Guid runId, Func<Microsoft.AspNetCore.Http.HttpRequest, Task<Microsoft.AspNetCore.Mvc.IActionResult>> call) =>
        kit.Client.InvokeAsync("GET", $"/runs/{runId:D}/artifacts", call);
}
