using Byot.Functions;
using Byot.Functions.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Byot.Tests.Cli;

/// <summary>A real HTTP server on 127.0.0.1 whose routes call the Functions' own classes, resolved from the same
/// <c>AddByotHttp</c> container the worker builds, with real Postgres and Azurite behind them. Exceptions become
/// problem+json through <see cref="Byot.Functions.Middleware.ProblemResults"/>, as in the worker middleware; the function key is checked like
/// the Functions host does (header x-functions-key or ?code=), except on the anonymous routes.</summary>
public sealed class CliServer : IAsyncDisposable
{
    public const string Key = "cli-test-function-key";

    private static readonly string[] Anonymous = ["/health", "/status", "/status.json", "/openapi.json"];

    private readonly WebApplication app;

    private CliServer(WebApplication app, string url)
    {
        this.app = app;
        Url = url;
    }

    public string Url { get; }

    public IServiceProvider Services => app.Services;

    public static async Task<CliServer> StartAsync(ByotEnvironment environment, IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddByotHttp(environment.Configuration(settings));
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "";
            var key = context.Request.Headers["x-functions-key"].ToString() is { Length: > 0 } h ? h : context.Request.Query["code"].ToString();
            var dashboard = path == "/app" || path.StartsWith("/app/", StringComparison.Ordinal);
            if (!Anonymous.Contains(path, StringComparer.OrdinalIgnoreCase) && !dashboard && key != Key)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            await next(context);
        });

        T F<T>()
            where T : notnull => app.Services.GetRequiredService<T>();
        Map(app, "POST", "/uploadBinary", (r, v, ct) => F<TestsFunctions>().UploadBinary(r, ct));
        Map(app, "GET", "/tests", (r, v, ct) => F<TestsFunctions>().ListTests(r, ct));
        Map(app, "GET", "/tests/{id}", (r, v, ct) => F<TestsFunctions>().GetTest(r, v("id"), ct));
        Map(app, "PATCH", "/tests/{id}", (r, v, ct) => F<TestsFunctions>().UpdateTest(r, v("id"), ct));
        Map(app, "DELETE", "/tests/{id}", (r, v, ct) => F<TestsFunctions>().DeleteTest(r, v("id"), ct));
        Map(app, "POST", "/tests/{id}/artifact", (r, v, ct) => F<TestsFunctions>().UploadArtifactVersion(r, v("id"), ct));
        Map(app, "POST", "/run/{id}", (r, v, ct) => F<RunsFunctions>().RunNow(r, v("id"), ct));
        Map(app, "GET", "/runs/{runId}", (r, v, ct) => F<RunsFunctions>().GetRun(r, v("runId"), ct));
        Map(app, "GET", "/runs/{runId}/logs", (r, v, ct) => F<RunsFunctions>().GetRunLogs(r, v("runId"), ct));
        Map(app, "GET", "/tests/{id}/runs", (r, v, ct) => F<RunsFunctions>().GetTestRuns(r, v("id"), ct));
        Map(app, "GET", "/tests/{id}/stats", (r, v, ct) => F<RunsFunctions>().GetTestStats(r, v("id"), ct));
        Map(app, "GET", "/tests/{id}/cases", (r, v, ct) => F<CasesFunctions>().GetTestCases(r, v("id"), ct));
        Map(app, "GET", "/runs/{runId}/cases", (r, v, ct) => F<CasesFunctions>().GetRunCases(r, v("runId"), ct));
        Map(app, "PUT", "/tests/{id}/cases/{caseId}/quarantine", (r, v, ct) => F<CasesFunctions>().Quarantine(r, v("id"), v("caseId"), ct));
        Map(app, "PUT", "/tests/{id}/secrets/{name}", (r, v, ct) => F<SecretsFunctions>().Put(r, v("id"), v("name"), ct));
        Map(app, "GET", "/tests/{id}/secrets", (r, v, ct) => F<SecretsFunctions>().List(r, v("id"), ct));
        Map(app, "DELETE", "/tests/{id}/secrets/{name}", (r, v, ct) => F<SecretsFunctions>().Delete(r, v("id"), v("name"), ct));
        Map(app, "GET", "/status.json", (r, v, ct) => F<StatusFunctions>().Json(r, ct));
        Map(app, "GET", "/status/board", (r, v, ct) => F<StatusFunctions>().Board(r, ct));
        Map(app, "GET", "/health", (r, v, ct) => F<HealthFunctions>().Get(r, ct));
        Map(app, "GET", "/status", (r, v, ct) => F<StatusFunctions>().Page(r, ct));
        Map(app, "GET", "/tests/{id}/alerts", (r, v, ct) => F<AlertsFunctions>().GetTestAlerts(r, v("id"), ct));
        Map(app, "GET", "/tests/{id}/schedule", (r, v, ct) => F<ScheduleFunctions>().Get(r, v("id"), ct));
        Map(app, "GET", "/runs/{runId}/artifacts", (r, v, ct) => F<RunArtifactsFunctions>().List(r, v("runId"), ct));
        Map(app, "GET", "/runs/{runId}/artifacts/{**path}", (r, v, ct) => F<RunArtifactsFunctions>().Get(r, v("runId"), v("path"), ct));
        Map(app, "GET", "/app", (r, v, ct) => Task.FromResult(DashboardFunctions.Shell(r)));
        Map(app, "GET", "/app/{**path}", (r, v, ct) => Task.FromResult(DashboardFunctions.Asset(r, v("path"))));
        Map(app, "POST", "/maintenance", (r, v, ct) => F<MaintenanceFunctions>().Create(r, ct));
        Map(app, "GET", "/maintenance", (r, v, ct) => F<MaintenanceFunctions>().List(r, ct));
        Map(app, "GET", "/maintenance/{id}", (r, v, ct) => F<MaintenanceFunctions>().Get(r, v("id"), ct));
        Map(app, "PATCH", "/maintenance/{id}", (r, v, ct) => F<MaintenanceFunctions>().Update(r, v("id"), ct));
        Map(app, "DELETE", "/maintenance/{id}", (r, v, ct) => F<MaintenanceFunctions>().Delete(r, v("id"), ct));
        Map(app, "POST", "/uploads", (r, v, ct) => F<UploadsFunctions>().BeginTestUpload(r, ct));
        Map(app, "POST", "/tests/{id}/uploads", (r, v, ct) => F<UploadsFunctions>().BeginVersionUpload(r, v("id"), ct));
        Map(app, "GET", "/uploads/{uploadId}", (r, v, ct) => F<UploadsFunctions>().GetUpload(r, v("uploadId"), ct));
        Map(app, "POST", "/uploads/{uploadId}/commit", (r, v, ct) => F<UploadsFunctions>().CommitUpload(r, v("uploadId"), ct));

        await app.StartAsync();
        return new CliServer(app, app.Urls.Single());
    }

    private static void Map(WebApplication app, string method, string pattern, Func<HttpRequest, Func<string, string>, CancellationToken, Task<IActionResult>> call) =>
        FunctionRoutes.Map(app, method, pattern, call);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
