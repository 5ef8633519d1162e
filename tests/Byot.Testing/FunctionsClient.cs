using Byot.Functions;
using Byot.Functions.Middleware;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Byot.Testing;

/// <summary>Calls the Functions' own classes in-process with a real HttpContext, the app's real service
/// registrations, and the same exception-to-problem mapping the worker middleware applies.</summary>
public sealed class FunctionsClient : IAsyncDisposable
{
    private readonly ServiceProvider services;

    public FunctionsClient(ByotEnvironment environment, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var collection = new ServiceCollection().AddLogging().AddByotHttp(environment.Configuration(settings));
        configure?.Invoke(collection);
        services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public IServiceProvider Services => services;

    public T Function<T>()
        where T : notnull => services.GetRequiredService<T>();

    public async Task<TestResponse> InvokeAsync(
        string method,
        string path,
        Func<HttpRequest, Task<IActionResult>> call,
        Stream? body = null,
        string? contentType = null,
        IDictionary<string, string>? requestHeaders = null)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = method;
        var query = path.IndexOf('?', StringComparison.Ordinal);
        context.Request.Path = query < 0 ? path : path[..query];
        context.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(path[query..]);
        context.Request.ContentType = contentType;
        context.Request.Body = body ?? Stream.Null;
        if (body is { CanSeek: true })
        {
            context.Request.ContentLength = body.Length;
        }

        foreach (var (name, value) in requestHeaders ?? new Dictionary<string, string>())
        {
            context.Request.Headers[name] = value;
        }

        var responseBody = new MemoryStream();
        context.Response.Body = responseBody;

        IActionResult result;
        try
        {
            result = await call(context.Request);
        }
        catch (Exception e)
        {
            result = ProblemResults.From(e, context.Request.Path);
        }

        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        var headers = context.Response.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        return new TestResponse(context.Response.StatusCode, context.Response.ContentType, headers, responseBody.ToArray());
    }

    public ValueTask DisposeAsync() => services.DisposeAsync();
}
