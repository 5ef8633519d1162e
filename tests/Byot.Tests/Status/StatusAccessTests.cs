using System.Text;
using Byot.Functions.Http;
using Xunit;

namespace Byot.Tests.Status;

/// <summary>The status page is private by default. Its key comes in a header or once through a form that sets an
/// HttpOnly, SameSite=Strict cookie (Secure over https); a key in the URL is refused, so it never lands in logs,
/// history or Referer headers.</summary>
public sealed class StatusAccessTests(ByotEnvironment environment) : IClassFixture<ByotEnvironment>, IAsyncLifetime
{
    private const string Key = "board-key-0123456789abcdef";

    private FunctionsClient client = null!;

    public async Task InitializeAsync()
    {
        client = new FunctionsClient(environment, new Dictionary<string, string?> { ["Byot:Status:AccessKey"] = Key });
        await Task.CompletedTask;
    }

    public async Task DisposeAsync() => await client.DisposeAsync();

    [Fact]
    public async Task By_default_the_page_is_private_and_without_a_key_configured_it_stays_closed()
    {
        await using var defaults = new FunctionsClient(environment);

        var json = await JsonAsync(defaults, null);
        var page = await PageAsync(defaults, new Dictionary<string, string> { ["Accept"] = "text/html" });

        Assert.True(json.Status == 401, json.ToString());
        Assert.Equal("urn:byot:problem:status-closed", json.Json.GetProperty("type").GetString());
        Assert.Contains("Byot:Status:AccessKey", json.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(401, page.Status);
        Assert.DoesNotContain("<form", page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_browser_without_the_key_gets_a_form_and_an_api_client_gets_problem_json()
    {
        var page = await PageAsync(client, new Dictionary<string, string> { ["Accept"] = "text/html,application/xhtml+xml" });
        var json = await JsonAsync(client, null);

        Assert.Equal(401, page.Status);
        Assert.Equal("text/html; charset=utf-8", page.ContentType);
        Assert.Contains("<form method=\"post\" action=\"status\">", page.Text, StringComparison.Ordinal);
        Assert.Contains("type=\"password\" name=\"key\"", page.Text, StringComparison.Ordinal);
        Assert.Equal(401, json.Status);
        Assert.Equal("application/problem+json; charset=utf-8", json.ContentType);
    }

    [Fact]
    public async Task The_form_sets_an_http_only_strict_cookie_that_opens_the_page_without_revealing_the_key()
    {
        var posted = await PostKeyAsync(Key, null);

        Assert.True(posted.Status == 303, posted.ToString());
        Assert.Equal("status", posted.Headers["Location"]);
        var setCookie = posted.Headers["Set-Cookie"];
        Assert.StartsWith(StatusFunctions.CookieName + "=", setCookie, StringComparison.Ordinal);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Key, setCookie, StringComparison.Ordinal);

        var cookie = setCookie.Split(';')[0];
        var withCookie = await JsonAsync(client, new Dictionary<string, string> { ["Cookie"] = cookie });
        var tampered = await JsonAsync(client, new Dictionary<string, string> { ["Cookie"] = cookie[..^2] + "xx" });
        Assert.True(withCookie.Status == 200, withCookie.ToString());
        Assert.Equal(401, tampered.Status);

        // A new key signs every browser out.
        await using var rotated = new FunctionsClient(environment, new Dictionary<string, string?> { ["Byot:Status:AccessKey"] = Key + "-rotated" });
        Assert.Equal(401, (await JsonAsync(rotated, new Dictionary<string, string> { ["Cookie"] = cookie })).Status);
    }

    [Fact]
    public async Task Over_https_the_cookie_is_secure()
    {
        var posted = await PostKeyAsync(Key, new Dictionary<string, string> { ["X-Forwarded-Proto"] = "https" });

        Assert.Equal(303, posted.Status);
        Assert.Contains("secure", posted.Headers["Set-Cookie"], StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_wrong_key_in_the_form_sets_no_cookie()
    {
        var posted = await PostKeyAsync("not-the-key-at-all-000", null);

        Assert.Equal(401, posted.Status);
        Assert.False(posted.Headers.ContainsKey("Set-Cookie"));
        Assert.Contains("not the key", posted.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_key_in_the_header_opens_the_page_and_in_the_url_is_refused()
    {
        var header = await JsonAsync(client, new Dictionary<string, string> { [StatusFunctions.KeyHeader] = Key });
        var inUrl = await client.InvokeAsync("GET", $"/status.json?key={Key}", r => client.Function<StatusFunctions>().Json(r, CancellationToken.None));

        Assert.Equal(200, header.Status);
        Assert.True(inUrl.Status == 400, inUrl.ToString());
        Assert.Equal("urn:byot:problem:status-key-in-url", inUrl.Json.GetProperty("type").GetString());
    }

    [Fact]
    public async Task The_form_takes_only_a_form()
    {
        var response = await client.InvokeAsync("POST", "/status", r => client.Function<StatusFunctions>().Key(r, CancellationToken.None),
            new MemoryStream(Encoding.UTF8.GetBytes($$"""{"key": "{{Key}}"}""")), "application/json");

        Assert.Equal(415, response.Status);
    }

    [Fact]
    public async Task Public_on_opens_the_page_to_everyone()
    {
        await using var open = new FunctionsClient(environment, new Dictionary<string, string?> { ["Byot:Status:Public"] = "true" });

        Assert.Equal(200, (await JsonAsync(open, null)).Status);
    }

    private Task<TestResponse> PostKeyAsync(string key, IDictionary<string, string>? headers) =>
        client.InvokeAsync("POST", "/status", r => client.Function<StatusFunctions>().Key(r, CancellationToken.None),
            new MemoryStream(Encoding.UTF8.GetBytes("key=" + Uri.EscapeDataString(key))), "application/x-www-form-urlencoded", headers);

    private static Task<TestResponse> JsonAsync(FunctionsClient on, IDictionary<string, string>? headers) =>
        on.InvokeAsync("GET", "/status.json", r => on.Function<StatusFunctions>().Json(r, CancellationToken.None), requestHeaders: headers);

    private static Task<TestResponse> PageAsync(FunctionsClient on, IDictionary<string, string>? headers) =>
        on.InvokeAsync("GET", "/status", r => on.Function<StatusFunctions>().Page(r, CancellationToken.None), requestHeaders: headers);
}
