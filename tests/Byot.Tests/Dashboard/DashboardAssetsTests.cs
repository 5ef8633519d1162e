using System.Text.RegularExpressions;
using Byot.Functions.Http;
using Xunit;

namespace Byot.Tests.Dashboard;

/// <summary>The dashboard's files as the Functions app serves them: built by the normal build, embedded, with the
/// right content types and cache headers, and nothing loaded from anywhere but this origin.</summary>
public sealed partial class DashboardAssetsTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>
{
    [Fact]
    public async Task The_shell_is_html_revalidated_every_time_and_locked_to_this_origin()
    {
        await using var client = new FunctionsClient(environment);

        var shell = await client.InvokeAsync("GET", "/app", r => Task.FromResult(DashboardFunctions.Shell(r)));

        Assert.Equal(200, shell.Status);
        Assert.Equal("text/html; charset=utf-8", shell.ContentType);
        Assert.Equal("no-cache", shell.Headers["Cache-Control"]);
        Assert.Matches("^\"[0-9a-f]{32}\"$", shell.Headers["ETag"]);
        Assert.Equal("nosniff", shell.Headers["X-Content-Type-Options"]);
        var csp = shell.Headers["Content-Security-Policy"];
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("<main id=\"main\"", shell.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_file_the_shell_names_is_embedded_hashed_typed_and_cached_for_a_year()
    {
        await using var client = new FunctionsClient(environment);
        var shell = await client.InvokeAsync("GET", "/app", r => Task.FromResult(DashboardFunctions.Shell(r)));
        var referenced = Reference().Matches(shell.Text).Select(m => m.Groups[1].Value).ToList();

        Assert.Contains(referenced, r => r.EndsWith(".js", StringComparison.Ordinal));
        Assert.Contains(referenced, r => r.EndsWith(".css", StringComparison.Ordinal));
        foreach (var url in referenced)
        {
            // No CDN: every script and stylesheet comes from /app itself, under a content-hashed name.
            Assert.Matches("^/app/assets/[a-z]+-[A-Z0-9]{8}\\.(js|css)$", url);
            var path = url["/app/".Length..];
            var asset = await client.InvokeAsync("GET", url, r => Task.FromResult(DashboardFunctions.Asset(r, path)));
            Assert.Equal(200, asset.Status);
            Assert.Equal(url.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8", asset.ContentType);
            Assert.Equal("public, max-age=31536000, immutable", asset.Headers["Cache-Control"]);
            Assert.True(asset.Body.Length > 1000, $"{url} is only {asset.Body.Length} bytes");
        }

        // uPlot is bundled into the script, not fetched.
        var script = referenced.Single(r => r.EndsWith(".js", StringComparison.Ordinal));
        var js = await client.InvokeAsync("GET", script, r => Task.FromResult(DashboardFunctions.Asset(r, script["/app/".Length..])));
        Assert.Contains("uplot", js.Text, StringComparison.Ordinal);
        Assert.DoesNotMatch("import\\s*\\(?\\s*[\"']https?:", js.Text);
    }

    [Fact]
    public async Task A_matching_if_none_match_is_answered_304_without_a_body()
    {
        await using var client = new FunctionsClient(environment);
        var shell = await client.InvokeAsync("GET", "/app", r => Task.FromResult(DashboardFunctions.Shell(r)));

        var again = await client.InvokeAsync("GET", "/app", r => Task.FromResult(DashboardFunctions.Shell(r)),
            requestHeaders: new Dictionary<string, string> { ["If-None-Match"] = shell.Headers["ETag"] });
        var stale = await client.InvokeAsync("GET", "/app", r => Task.FromResult(DashboardFunctions.Shell(r)),
            requestHeaders: new Dictionary<string, string> { ["If-None-Match"] = "\"0000\"" });

        Assert.Equal(304, again.Status);
        Assert.Empty(again.Body);
        Assert.Equal(shell.Headers["ETag"], again.Headers["ETag"]);
        Assert.Equal(200, stale.Status);
    }

    [Theory]
    [InlineData("assets/nope-ABCDEFGH.js")]
    [InlineData("../Byot.Functions.dll")]
    [InlineData("assets")]
    public async Task An_unknown_file_is_a_404_problem_naming_it(string path)
    {
        await using var client = new FunctionsClient(environment);

        var response = await client.InvokeAsync("GET", "/app/" + path, r => Task.FromResult(DashboardFunctions.Asset(r, path)));

        Assert.Equal(404, response.Status);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        Assert.Contains(path, response.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [GeneratedRegex("(?:src|href)=\"([^\"#]+)\"")]
    private static partial Regex Reference();
}
