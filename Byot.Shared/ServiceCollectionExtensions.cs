using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Byot.Shared.Alerts;
using Byot.Shared.Artifacts;
using Byot.Shared.Completion;
using Byot.Shared.Health;
using Byot.Shared.Incidents;
using Byot.Shared.Maintenance;
using Byot.Shared.Options;
using Byot.Shared.Queue;
using Byot.Shared.Runs;
using Byot.Shared.Scheduling;
using Byot.Shared.Secrets;
using Byot.Shared.Catalog;
using Byot.Shared.Startup;
using Byot.Shared.Storage;
using Byot.Shared.Storage.S3;
using Byot.Shared.Uploads;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Byot.Shared;

public static class ServiceCollectionExtensions
{
    /// <summary>Options, Postgres, Blob, Queue and the services both hosts share. Options fail the start when invalid.</summary>
    public static IServiceCollection AddByotShared(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<UploadOptions>().Bind(configuration.GetSection(UploadOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SecretsOptions>().Bind(configuration.GetSection(SecretsOptions.Section))
            .Validate(o => SecretCipher.IsValidKey(o.Key), "Byot:Secrets:Key must be base64 of exactly 32 bytes (openssl rand -base64 32).").ValidateOnStart();
        services.AddOptions<StatusOptions>().Bind(configuration.GetSection(StatusOptions.Section))
            .Validate(o => o.AccessKey is null || o.AccessKey.Length >= 16, "Byot:Status:AccessKey must be at least 16 characters (openssl rand -base64 24).")
            .Validate(o => o.RefreshSeconds is >= 5 and <= 3600, "Byot:Status:RefreshSeconds must be 5-3600.")
            .Validate(_ => configuration[StatusOptions.RemovedFlakyFlips] is null, StatusOptions.RemovedFlakyFlipsMessage)
            .ValidateOnStart();
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LocationOptions>().Bind(configuration.GetSection(LocationOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SchedulingOptions>().Bind(configuration.GetSection(SchedulingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton(sp => new NpgsqlDataSourceBuilder(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString).Build());
        services.AddSingleton(sp => new BlobServiceClient(StorageConnection(sp), ClientOptions(new BlobClientOptions())));
        services.AddSingleton(sp => new QueueServiceClient(StorageConnection(sp), ClientOptions(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None })));

        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<UnitOfWorkFactory>();
        services.AddSingleton<StorageProvisioner>();
        services.AddSingleton<TestStore>();
        services.AddSingleton<RunStore>();
        services.AddByotObjectStorage(configuration);
        services.AddSingleton<RunSignals>();
        services.AddSingleton<RunQueue>();
        services.AddSingleton<UploadService>();
        services.AddSingleton<DirectUploadStore>();
        services.AddSingleton<Uploads.Direct.DirectUploadService>();
        services.AddSingleton<RunService>();
        services.AddSingleton<RunArtifactService>();
        services.AddSingleton<DatabaseProbe>();
        services.AddSingleton<HealthService>();
        services.AddSingleton<ScheduleStore>();
        services.AddSingleton<SchedulerService>();
        services.AddSingleton<ScheduleSlotService>();
        services.AddSingleton<RunSweeper>();
        services.AddSingleton<RetentionStore>();
        services.AddSingleton<RunRetention>();
        services.AddSingleton<TestService>();
        services.AddSingleton<TagStore>();
        services.AddSingleton<DependencyStore>();
        services.AddSingleton<RunQueries>();
        services.AddSingleton<CaseQueries>();
        services.AddSingleton<QuarantineStore>();
        services.AddSingleton<Cases.CaseService>();
        services.AddSingleton<LogFollower>();
        services.AddSingleton<SecretCipher>();
        services.AddSingleton<SecretStore>();
        services.AddSingleton<SecretService>();
        services.AddSingleton<StatusQueries>();
        services.AddSingleton<Status.StatusService>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddByotAlerts(configuration);
        services.AddByotIncidents();
        services.AddByotMaintenance();
        services.AddHostedService<StartupInitializer>();
        return services;
    }

    /// <summary>Alerting: run completion (a result and what it means), the outbox, the channels, delivery and the digest.</summary>
    private static IServiceCollection AddByotAlerts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AlertingOptions>().Bind(configuration.GetSection(AlertingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AlertStore>();
        services.AddSingleton<OutboxStore>();
        services.AddSingleton<NotificationPlanner>();
        services.AddSingleton<CompletionFactsReader>();
        services.AddSingleton<CompletionWriter>();
        services.AddSingleton<RunCompletion>();
        services.AddSingleton<AlertRenderer>();
        services.AddSingleton<AlertHttp>();
        services.AddSingleton<INotificationSender, PagerDutySender>();
        services.AddSingleton<INotificationSender, SlackSender>();
        services.AddSingleton<INotificationSender, TeamsSender>();
        services.AddSingleton<INotificationSender, WebhookSender>();
        services.AddSingleton<INotificationSender, EmailSender>();
        services.AddSingleton<INotificationSender, OpsgenieSender>();
        services.AddSingleton<INotificationSender, AlertmanagerSender>();
        services.AddSingleton<AlertDeliveryService>();
        services.AddSingleton<DigestService>();
        services.AddSingleton<AlertQueryService>();
        return services;
    }

    private static string StorageConnection(IServiceProvider sp) => sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString;

    private static T ClientOptions<T>(T options)
        where T : ClientOptions
    {
        options.Retry.MaxRetries = 3;
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(5);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        return options;
    }
}
