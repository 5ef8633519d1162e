using Byot.Runner.Containers;
using Byot.Runner.Isolation;
using Byot.Runner.Network;
using Byot.Runner.Options;
using Byot.Runner.Worker;
using Byot.Shared;

namespace Byot.Runner;

internal static class RunnerHostBuilderExtensions
{
    public static IHostApplicationBuilder AddByotRunner(this IHostApplicationBuilder builder)
    {
        builder.Services.AddByotRunner(builder.Configuration);
        return builder;
    }

    public static IServiceCollection AddByotRunner(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddByotShared(configuration);
        services.AddOptions<RunnerOptions>().Bind(configuration.GetSection(RunnerOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(2));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IContainerEngine, DockerContainerEngine>();
        services.AddSingleton<UidAllocator>();
        services.AddSingleton<IptablesFirewall>();
        services.AddSingleton<EgressGate>();
        services.AddSingleton<ArtifactCache>();
        services.AddSingleton<AppImages>();
        services.AddSingleton<ArtifactCollector>();
        services.AddSingleton<DatabaseRetry>();
        services.AddSingleton<ResultRecorder>();
        services.AddSingleton<RunPreflight>();
        services.AddSingleton<RunLogs>();
        services.AddSingleton<ContainerPreparation>();
        services.AddSingleton<RunExecution>();
        services.AddSingleton<RunAttempt>();
        services.AddSingleton<RunTries>();
        services.AddSingleton<RunnerStopping>();
        services.AddSingleton<RunExecutor>();
        // Hosted services start in order: the engine's runtimes are known before the first run is received.
        services.AddSingleton<EngineRuntimesProbe>();
        services.AddHostedService(provider => provider.GetRequiredService<EngineRuntimesProbe>());
        services.AddSingleton<LocationReceiver>();
        services.AddSingleton<RunWakeSignal>();
        services.AddHostedService<RunWakeListener>();
        services.AddHostedService<RunnerWorker>();
        return services;
    }
}
