using HallMonitor.Grains;
using HallMonitor.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HallMonitor.Silo;

/// <summary>Hosts the HallMonitor grains in an application.</summary>
public static class SiloHostingExtensions
{
    /// <summary>
    /// Adds the grain runtime with the hall, matter, window and ticket grains, the hall catalog read from
    /// <c>HallMonitor:HallsFile</c>, the journal and grain storage (SQLite under <c>HallMonitor:DataDir</c>,
    /// or memory), the projection feed and the readiness checks.
    /// </summary>
    public static IHostApplicationBuilder AddHallMonitorSilo(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(HallMonitorOptions.Section).Get<HallMonitorOptions>() ?? new HallMonitorOptions();
        var root = builder.Environment.ContentRootPath;
        var services = builder.Services;
        services.AddOptions<HallMonitorOptions>().BindConfiguration(HallMonitorOptions.Section);

        services.AddSingleton(HallCatalog.Load(ResolveHallsFile(options.HallsFile, root)));
        switch (options.Storage.ToLowerInvariant())
        {
            case "sqlite":
                var path = Path.Combine(Path.GetFullPath(options.DataDir, root), "hallmonitor.db");
                services.AddSingleton(sp => new SqliteStore(path, options.SqliteSynchronous, sp.GetRequiredService<ILogger<SqliteStore>>()));
                services.AddSingleton<IJournalStore, SqliteJournalStore>();
                services.AddKeyedSingleton<IGrainStorage>(GrainStorage.DefaultName, (sp, _) => new SqliteGrainStorage(sp.GetRequiredService<SqliteStore>()));
                services.AddSingleton<IReportStore, SqliteReportStore>();
                break;
            case "memory":
                services.AddSingleton<IJournalStore, MemoryJournalStore>();
                services.AddMemoryGrainStorage();
                services.AddSingleton<IReportStore, MemoryReportStore>();
                break;
            default:
                throw new InvalidOperationException($"HallMonitor:Storage '{options.Storage}' is not supported here; use 'sqlite' or 'memory'.");
        }

        services.AddHallMonitorMetrics();
        services.AddSingleton<HallJournals>();
        services.AddSingleton<IHallEventStream>(sp => sp.GetRequiredService<HallJournals>());
        var runtime = builder.Configuration.GetSection(HallMonitorOptions.Section + ":Runtime");
        services.AddGrainRuntime(
            options =>
            {
                options.IdleTimeout = runtime.GetValue(nameof(options.IdleTimeout), options.IdleTimeout);
                options.CollectionQuantum = runtime.GetValue(nameof(options.CollectionQuantum), options.CollectionQuantum);
                options.CallTimeout = runtime.GetValue(nameof(options.CallTimeout), options.CallTimeout);
            },
            typeof(HallGrain).Assembly);
        services.AddHostedService<HallProjectionFeed>();
        services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("storage", tags: ["ready"])
            .AddCheck<GrainsHealthCheck>("grains", tags: ["ready"]);
        return builder;
    }

    /// <summary>A relative halls file is looked for under the content root, then next to the application.</summary>
    private static string ResolveHallsFile(string file, string contentRoot)
    {
        if (Path.IsPathRooted(file))
        {
            return file;
        }

        var underRoot = Path.GetFullPath(file, contentRoot);
        return File.Exists(underRoot) ? underRoot : Path.GetFullPath(file, AppContext.BaseDirectory);
    }
}
