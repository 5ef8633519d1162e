using Byot.Functions.Http;
using Byot.Functions.Middleware;
using Byot.Shared;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Byot.Functions;

internal static class FunctionsBuilderExtensions
{
    public static FunctionsApplicationBuilder AddByotFunctions(this FunctionsApplicationBuilder builder)
    {
        builder.ConfigureFunctionsWebApplication();
        builder.UseMiddleware<ProblemMiddleware>();
        builder.Services.AddByotHttp(builder.Configuration);
        return builder;
    }

    /// <summary>Everything the HTTP functions need; tests build the same container to call them in-process.</summary>
    public static IServiceCollection AddByotHttp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddByotShared(configuration);
        services.AddMvcCore();

        // Uploads are limited by BYOT's own setting, checked while streaming; the worker's server must not cut them first.
        services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = null);
        services.AddSingleton<TestsFunctions>();
        services.AddSingleton<RunsFunctions>();
        services.AddSingleton<HealthFunctions>();
        services.AddSingleton<Timers.SchedulerFunctions>();
        services.AddSingleton<SecretsFunctions>();
        services.AddSingleton<OpenApiFunctions>();
        services.AddSingleton<StatusFunctions>();
        services.AddSingleton<AlertsFunctions>();
        services.AddSingleton<Timers.AlertFunctions>();
        services.AddSingleton<RunArtifactsFunctions>();
        services.AddSingleton<CasesFunctions>();
        services.AddSingleton<ScheduleFunctions>();
        services.AddSingleton<UploadsFunctions>();
        services.AddSingleton<Timers.UploadFunctions>();
        services.AddSingleton<IncidentsFunctions>();
        services.AddSingleton<MaintenanceFunctions>();
        return services;
    }
}
