using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Sluice.Accounts;
using Sluice.Audiences;
using Sluice.Auth;
using Sluice.Authorizations;
using Sluice.Collect;
using Sluice.EventLog;
using Sluice.Export;
using Sluice.Export.Braze;
using Sluice.Jobs;
using Sluice.Mapping;
using Sluice.Processing;
using Sluice.Processing.DeadLetters;
using Sluice.Health;
using Sluice.Import;
using Sluice.Import.Sftp;
using Sluice.Profiles;
using Sluice.Storage.Sqlite;
using Sluice.WebConsole;

namespace Sluice.Hosting;

internal static class SluiceServices
{
    /// <summary>The embedded store: SQLite in <paramref name="dataDir"/>. Shared by the server and the admin commands.</summary>
    public static IServiceCollection AddSluiceStorage(this IServiceCollection services, string dataDir)
    {
        Directory.CreateDirectory(dataDir);
        services.AddSingleton(SqliteDatabase.ForMain(dataDir));
        services.AddKeyedSingleton(SqliteDatabase.LogKey, SqliteDatabase.ForLog(dataDir));
        services.AddSingleton<IAccountStore, SqliteAccountStore>();
        services.AddSingleton<ITokenStore, SqliteTokenStore>();
        services.AddSingleton<SqliteEventLog>();
        services.AddSingleton<IEventLog>(sp => sp.GetRequiredService<SqliteEventLog>());
        services.AddSingleton<IDeadLetterStore>(sp => sp.GetRequiredService<SqliteEventLog>());
        services.AddSingleton<IStreamCatalog>(sp => sp.GetRequiredService<SqliteEventLog>());
        services.AddSingleton<IProfileStore, SqliteProfileStore>();
        services.AddSingleton<IErasureFlush, SqliteErasureFlush>();
        services.AddSingleton<IMappingStore, SqliteMappingStore>();
        services.AddSingleton<IAudienceStore, SqliteAudienceStore>();
        services.AddSingleton<IJobStore, SqliteJobStore>();
        // Jobs know which authorizations they use: this replaces any do-nothing default registered before it.
        services.RemoveAll<IAuthorizationUsage>();
        services.AddSingleton<IAuthorizationUsage, JobAuthorizationUsage>();
        services.AddSingleton<IAuthorizationStore, SqliteAuthorizationStore>();
        services.AddSingleton<IXmlRepository, SqliteXmlRepository>();
        services.AddSingleton<IExportStateStore, SqliteExportStateStore>();
        services.AddSingleton<Processing.Lag.IStreamLagStore, SqliteStreamLagStore>();
        services.AddSingleton<IImportLedger>(sp => sp.GetRequiredService<SqliteEventLog>());
        services.AddSingleton<TokenService>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>
    /// Mapping and profile processing over the store, without the host around it: the server adds the grains and
    /// the sweeper on top; tests and benchmarks drive <see cref="ProfileProcessor"/> directly.
    /// </summary>
    public static IServiceCollection AddSluiceProcessing(this IServiceCollection services)
    {
        services.AddOptions<ProcessingOptions>().BindConfiguration("Sluice:Processing").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<IdentityOptions>().BindConfiguration("Sluice:Identity").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<MappingRegistry>();
        services.AddSingleton<IStreamMappings>(sp => sp.GetRequiredService<MappingRegistry>());
        services.AddSingleton<ProcessingProgress>();
        services.AddSingleton<PartitionHealth>();
        services.AddOptions<AudienceOptions>().BindConfiguration("Sluice:Audiences");
        services.AddSingleton<AudienceRegistry>();
        services.AddSingleton<AudienceEvaluationProgress>();
        services.AddSingleton<ProfileProcessor>();
        services.AddSingleton<ProfileDeletion>();
        return services;
    }

    /// <summary>
    /// A data folder's store and processing without a server (admin commands, tests, benchmarks), migrated and
    /// configured from the same sources as the server: <c>appsettings.json</c> and <c>Sluice__...</c> variables.
    /// </summary>
    public static async Task<ServiceProvider> OpenOfflineAsync(string dataDir, Action<IServiceCollection>? configure, CancellationToken ct)
    {
        var configuration = new ConfigurationBuilder().AddJsonFile("appsettings.json", optional: true).AddEnvironmentVariables().Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddMetrics()
            .AddSluiceStorage(dataDir)
            .AddSluiceProcessing();
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider();
        await SqliteMigrator.MigrateAsync(provider, ct);
        return provider;
    }

    /// <summary>The job workflows, the operations on jobs, and the service that starts active jobs when the node starts.</summary>
    private static IServiceCollection AddSluiceJobs(this IServiceCollection services)
    {
        services.AddSingleton<IProfileFieldSampler, ProfileFieldSampler>();
        services.AddSingleton<BrazeExportValidation>();
        services.AddSingleton<BrazeExportWorkflow>();
        services.AddSingleton<IJobWorkflow>(sp => sp.GetRequiredService<BrazeExportWorkflow>());
        services.AddSingleton<IJobWorkflow, CsvImportWorkflow>();
        services.AddSingleton<CsvFileImporter>();
        services.TryAddSingleton(sp => new ImportClock(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<JobWorkflows>();
        services.AddSingleton<JobOperations>();
        services.AddSingleton<JobStarter>();
        services.AddHostedService(sp => sp.GetRequiredService<JobStarter>());
        return services;
    }

    public static WebApplicationBuilder AddSluice(this WebApplicationBuilder builder, SluiceAppOptions options)
    {
        var services = builder.Services;
        services.AddWatchdogStartupRaceFilter();
        // One silo per process with localhost clustering: the embedded default needs no other service.
        // Registered first so that it stops last: the log writer and the sweeper still use grains while draining.
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort: FreePort.Next(), gatewayPort: FreePort.Next());
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = "sluice";
                o.ServiceId = "sluice";
            });
        });

        services.AddSluiceStorage(options.DataDir);
        services.AddSluiceProcessing();
        services.AddOptions<CollectOptions>().BindConfiguration("Sluice:Collect").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AuthOptions>().BindConfiguration("Sluice:Auth").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LyticsEntityOptions>().BindConfiguration("Sluice:Entity");
        services.AddSingleton<FailedAuthThrottle>();
        services.AddSluiceAuthentication();
        services.AddSluiceConsole();
        services.AddSluiceAuthorizations();
        services.AddSluiceSftp(options.DataDir);

        services.AddOptions<EventLogOptions>().BindConfiguration("Sluice:EventLog").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<EventLogWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<EventLogWriter>());
        services.AddSingleton<Partitioner>();
        services.AddSingleton<EventValidator>();
        services.AddSingleton<CollectService>();
        services.AddSingleton<Sluice.Collect.Bulk.BulkIngest>();
        services.AddSingleton<AudienceEditor>();
        services.AddSingleton<AudienceSizer>();
        services.AddHostedService<ProcessingSweeper>();
        services.AddHostedService<ExportRowPruner>();
        services.AddSluiceJobs();
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store").AddCheck<ProcessingHealthCheck>("processing");

        builder.Host.ConfigureHostOptions(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return builder;
    }
}
