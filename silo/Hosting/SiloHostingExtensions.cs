using HallMonitor.Grains;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Storage;

namespace HallMonitor.Silo;

/// <summary>Makes an application an Orleans silo that hosts the HallMonitor grains.</summary>
public static class SiloHostingExtensions
{
    /// <summary>
    /// Adds an Orleans silo (<c>HallMonitor:Clustering</c>: localhost, or a cluster in Redis) with the hall, matter, window, ticket and report grains,
    /// the hall catalog read from <c>HallMonitor:HallsFile</c>, the journal and grain storage (SQLite under
    /// <c>HallMonitor:DataDir</c>, PostgreSQL at <c>HallMonitor:Postgres</c>, or memory), reminders (in memory, or in
    /// Redis), the projection feed and the readiness checks.
    /// </summary>
    public static IHostApplicationBuilder AddHallMonitorSilo(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(HallMonitorOptions.Section);
        var options = HallMonitorOptions.Read(builder.Configuration);
        var clocks = section.Get<ClockOptions>() ?? new ClockOptions();
        var services = builder.Services;
        services.AddOptions<HallMonitorOptions>().BindConfiguration(HallMonitorOptions.Section);
        services.AddOptions<ClockOptions>().BindConfiguration(HallMonitorOptions.Section);
        services.AddSingleton(HallCatalog.Load(ResolveHallsFile(options.HallsFile, builder.Environment.ContentRootPath)));
        services.AddHallMonitorStorage(options, builder.Environment.ContentRootPath);
        services.AddHallMonitorMetrics();
        services.AddSingleton<HallJournals>();

        // The silo first: hosted services start in order, and the projection feed calls grains as it starts.
        builder.UseOrleans(silo =>
        {
            silo.UseHallMonitorClustering(options);

            // Orleans refuses reminders more frequent than a minute unless told otherwise (tests wake every second).
            silo.Configure<ReminderOptions>(reminders => reminders.MinimumReminderPeriod = TimeSpan.FromTicks(Math.Min(reminders.MinimumReminderPeriod.Ticks, clocks.WakePeriod.Ticks)));
            silo.Configure<GrainCollectionOptions>(collection => collection.CollectionAge = options.CollectionAge);
            silo.Configure<SiloMessagingOptions>(messaging => messaging.ResponseTimeout = options.ResponseTimeout);
            silo.AddHallMonitorDashboard();
        });
        services.AddHostedService<HallProjectionFeed>();
        services.AddHostedService<FollowerRelease>();
        services.AddHostedService<JournalStartupVerification>();
        services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("storage", tags: ["ready"])
            .AddCheck<GrainsHealthCheck>("grains", tags: ["ready"]);

        return builder;
    }

    /// <summary>The journal, the grains' checkpoints (Orleans' default grain storage) and the report facts.</summary>
    private static void AddHallMonitorStorage(this IServiceCollection services, HallMonitorOptions options, string contentRoot)
    {
        switch (options.Storage.ToLowerInvariant())
        {
            case "sqlite":
                var path = Path.Combine(Path.GetFullPath(options.DataDir, contentRoot), "hallmonitor.db");
                services.AddSingleton(sp => new SqliteStore(path, options.SqliteSynchronous, sp.GetRequiredService<ILogger<SqliteStore>>()));
                services.AddSingleton<IJournalStore, SqliteJournalStore>();
                services.AddSingleton<IWritableStore>(sp => sp.GetRequiredService<SqliteStore>());
                services.AddKeyedSingleton<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (sp, _) => new SqliteGrainStorage(sp.GetRequiredService<SqliteStore>()));
                services.AddSingleton<IReportStore, SqliteReportStore>();
                break;
            case "postgres":
                if (string.IsNullOrWhiteSpace(options.Postgres))
                {
                    throw new InvalidOperationException("HallMonitor:Storage is 'postgres' but HallMonitor:Postgres, the Npgsql connection string, is not set.");
                }

                services.AddSingleton(sp => new PostgresStore(options.Postgres, sp.GetRequiredService<ILogger<PostgresStore>>()));
                services.AddSingleton<IJournalStore, PostgresJournalStore>();
                services.AddKeyedSingleton<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (sp, _) => new PostgresGrainStorage(sp.GetRequiredService<PostgresStore>()));
                services.AddSingleton<IReportStore, PostgresReportStore>();
                break;
            case "memory":
                services.AddSingleton<IJournalStore, MemoryJournalStore>();
                services.AddKeyedSingleton<IGrainStorage, JsonMemoryGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
                services.AddSingleton<IReportStore, MemoryReportStore>();
                break;
            default:
                throw new InvalidOperationException($"HallMonitor:Storage '{options.Storage}' is not supported here; use 'sqlite', 'postgres' or 'memory'.");
        }

        // [PersistentState] without a storage name asks for the unkeyed provider.
        services.AddSingleton(sp => sp.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME));
    }

    /// <summary>A relative halls file is looked for under the content root, then next to the application.</summary>
    public static string ResolveHallsFile(string file, string contentRoot)
    {
        if (Path.IsPathRooted(file))
        {
            return file;
        }

        var underRoot = Path.GetFullPath(file, contentRoot);
        return File.Exists(underRoot) ? underRoot : Path.GetFullPath(file, AppContext.BaseDirectory);
    }
}
