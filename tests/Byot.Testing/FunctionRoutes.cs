using Byot.Functions.Middleware;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;

namespace Byot.Testing;

/// <summary>Routes a Kestrel endpoint to a Functions class's method, with exceptions mapped to problem+json as the
/// worker middleware does. Shared by the CLI's test server and the dashboard benchmark (linked there).</summary>
public static class FunctionRoutes
{
    public static void Map(WebApplication app, string method, string pattern, Func<HttpRequest, Func<string, string>, CancellationToken, Task<IActionResult>> call) =>
        app.MapMethods(pattern, [method], async (HttpContext context) =>
        {
            string Value(string name) => context.Request.RouteValues[name]?.ToString() ?? "";
            IActionResult result;
            try
            {
                result = await call(context.Request, Value, context.RequestAborted);
            }
            catch (Exception e)
            {
                result = ProblemResults.From(e, context.Request.Path);
            }

            await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
        });
}
