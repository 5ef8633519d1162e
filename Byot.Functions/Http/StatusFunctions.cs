using Byot.Functions.Middleware;
using Byot.Shared.Problems;
using Byot.Shared.Status;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Byot.Functions.Http;

/// <summary>The status page for people who cannot read CI logs. Anonymous at the host, and private unless
/// Byot:Status:Public is true: the key comes in the <c>x-byot-status-key</c> header, or once through the page's form,
/// which keeps it as an HttpOnly, SameSite=Strict cookie. Never in the URL, where it would end up in logs, history
/// and Referer headers.</summary>
public sealed class StatusFunctions(StatusService status)
{
    public const string KeyHeader = "x-byot-status-key";
    public const string CookieName = "byot_status";

    // The form posts one short field; anything bigger is not a key.
    private const long MaxFormBytes = 4096;
    private static readonly TimeSpan CookieLifetime = TimeSpan.FromDays(30);

    [Function("StatusPage")]
    public async Task<IActionResult> Page(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "status")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (Refusal(request) is { } refusal)
        {
            return WantsHtml(request) ? KeyForm(refusal.Message, ProblemStatus.Of(refusal)) : throw refusal;
        }

        var board = await status.BoardAsync(TagQuery.Parse(request), cancellationToken);
        return Html(StatusPageRenderer.Render(board), StatusCodes.Status200OK);
    }

    [Function("StatusJson")]
    public async Task<IActionResult> Json(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "status.json")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (Refusal(request) is { } refusal)
        {
            throw refusal;
        }

        return new OkObjectResult(await status.BoardAsync(TagQuery.Parse(request), cancellationToken));
    }

    /// <summary>The failing screenshot of a red flow, the page's thumbnail: readable with the page's own key or cookie
    /// (an img on the page sends the cookie, SameSite=Strict holds for the same origin).</summary>
    [Function("StatusScreenshot")]
    public async Task<IActionResult> Screenshot(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "status/screenshots/{testId}")] HttpRequest request,
        string testId,
        CancellationToken cancellationToken)
    {
        if (Refusal(request) is { } refusal)
        {
            throw refusal;
        }

        var (contentType, content) = await status.OpenScreenshotAsync(RouteId.Test(testId), cancellationToken);
        var headers = request.HttpContext.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "sandbox";
        headers.CacheControl = "private, max-age=60";
        return new FileStreamResult(content, contentType);
    }

    /// <summary>One incident of a flow for the page's readers: what was affected, when, for how long and what
    /// happened, in plain words. Private like the page (key header or the form's cookie); a browser without them gets
    /// the key form.</summary>
    [Function("StatusIncident")]
    public async Task<IActionResult> Incident(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "status/incidents/{incidentId}")] HttpRequest request,
        string incidentId,
        CancellationToken cancellationToken)
    {
        if (Refusal(request) is { } refusal)
        {
            return WantsHtml(request) ? Html(StatusPageRenderer.RenderKeyForm(refusal.Message, status.HasKey || status.IsPublic, "../../"), ProblemStatus.Of(refusal)) : throw refusal;
        }

        var page = await status.IncidentAsync(RouteId.Incident(incidentId), cancellationToken);
        return Html(StatusPageRenderer.RenderIncident(page, status.Title), StatusCodes.Status200OK);
    }

    /// <summary>The same board for whoever holds a function key (the dashboard): the Functions host checks that key,
    /// so the status page's own key, for business readers, is not needed here.</summary>
    [Function("StatusBoard")]
    public async Task<IActionResult> Board(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "status/board")] HttpRequest request,
        CancellationToken cancellationToken) =>
        new OkObjectResult(await status.BoardAsync(TagQuery.Parse(request), cancellationToken));

    /// <summary>The page's form: a right key sets the cookie and sends the browser back to the page.</summary>
    [Function("StatusKey")]
    public async Task<IActionResult> Key(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "status")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            throw Problem.UnsupportedMediaType("Post the status key as a form (application/x-www-form-urlencoded, field 'key'), or send it in the x-byot-status-key header of GET /status.");
        }

        if (request.ContentLength > MaxFormBytes)
        {
            throw Problem.InvalidField("key", "The form is too large to hold a status key.");
        }

        var form = await request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions { ValueLengthLimit = (int)MaxFormBytes, KeyLengthLimit = 16, ValueCountLimit = 4 }, cancellationToken);
        var key = form["key"].ToString();
        if (status.IsPublic || !status.Allows(key))
        {
            return KeyForm(status.IsPublic ? "This status page is public; it needs no key." : "That is not the key of this status page.",
                status.IsPublic ? StatusCodes.Status400BadRequest : StatusCodes.Status401Unauthorized);
        }

        var secure = request.IsHttps || string.Equals(request.Headers["X-Forwarded-Proto"].ToString(), "https", StringComparison.OrdinalIgnoreCase);
        request.HttpContext.Response.Cookies.Append(CookieName, status.CookieValue(), new CookieOptions
        {
            HttpOnly = true,
            Secure = secure,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            MaxAge = CookieLifetime,
        });
        request.HttpContext.Response.Headers.CacheControl = "no-store";

        // 303: the browser follows with a GET, so a reload does not post the key again.
        request.HttpContext.Response.Headers.Location = "status";
        return new StatusCodeResult(StatusCodes.Status303SeeOther);
    }

    /// <summary>Why the request may not read the board; null when it may.</summary>
    private DomainException? Refusal(HttpRequest request)
    {
        if (status.IsPublic)
        {
            return null;
        }

        if (request.Query.ContainsKey("key"))
        {
            return new InvalidRequestException("status-key-in-url", "Status key not accepted in the URL",
                "A key in the URL leaks into logs, browser history and Referer headers, so it is refused: send it in the x-byot-status-key header, or enter it once in the form on GET /status (it is then kept in a cookie).", "key");
        }

        if (!status.HasKey)
        {
            return new UnauthorizedException("status-closed", "Status page not set up",
                "This status page is private and has no key yet: an operator sets Byot:Status:AccessKey (or Byot:Status:Public=true to open it to everyone).");
        }

        var header = request.Headers[KeyHeader].ToString();
        var cookie = request.Cookies[CookieName];
        return status.Allows(header.Length == 0 ? null : header, cookie)
            ? null
            : new UnauthorizedException("status-key", "Status key required",
                "This status page is private: send its key in the x-byot-status-key header, or open /status in a browser and enter it in the form (Byot:Status:AccessKey).");
    }

    private static bool WantsHtml(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    private ContentResult KeyForm(string message, int statusCode) =>
        Html(StatusPageRenderer.RenderKeyForm(message, status.HasKey || status.IsPublic), statusCode);

    private static ContentResult Html(string html, int statusCode) =>
        new() { Content = html, ContentType = "text/html; charset=utf-8", StatusCode = statusCode };
}
