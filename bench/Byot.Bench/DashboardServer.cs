using Byot.Functions;
using Byot.Functions.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Byot.Bench;

/// <summary>Kestrel on 127.0.0.1 serving the dashboard and the read routes it calls, through the Functions' own
/// classes and the real services (what the Functions host would do, minus its key check).</summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private DashboardServer(WebApplication app) => this.app = app;

    public string Url => app.Urls.Single();

    public static async Task<DashboardServer> StartAsync(BenchEnvironment environment)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddByotHttp(environment.Configuration());
        var app = builder.Build();
        T F<T>()
            where T : notnull => app.Services.GetRequiredService<T>();
        Get(app, "/app", (r, v, ct) => Task.FromResult(DashboardFunctions.Shell(r)));
        Get(app, "/app/{**path}", (r, v, ct) => Task.FromResult(DashboardFunctions.Asset(r, v("path"))));
        Get(app, "/tests", (r, v, ct) => F<TestsFunctions>().ListTests(r, ct));
        Get(app, "/status.json", (r, v, ct) => F<StatusFunctions>().Json(r, ct));
        Get(app, "/tests/{id}", (r, v, ct) => F<TestsFunctions>().GetTest(r, v("id"), ct));
        Get(app, "/tests/{id}/runs", (r, v, ct) => F<RunsFunctions>().GetTestRuns(r, v("id"), ct));
        Get(app, "/runs/{runId}", (r, v, ct) => F<RunsFunctions>().GetRun(r, v("runId"), ct));
        Get(app, "/runs/{runId}/logs", (r, v, ct) => F<RunsFunctions>().GetRunLogs(r, v("runId"), ct));
        Get(app, "/runs/{runId}/artifacts", (r, v, ct) => F<RunArtifactsFunctions>().List(r, v("runId"), ct));
        await app.StartAsync();
        return new DashboardServer(app);
    }

    private static void Get(WebApplication app, string pattern, Func<HttpRequest, Func<string, string>, CancellationToken, Task<IActionResult>> call) =>
        FunctionRoutes.Map(app, "GET", pattern, call);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
