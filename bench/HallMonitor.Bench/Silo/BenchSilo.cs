using System.Text.Json;
using HallMonitor.Grains;
using HallMonitor.Silo;
using HallMonitor.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HallMonitor.Bench.Silo;

/// <summary>
/// An Orleans silo in process with the real silo wiring (<see cref="SiloHostingExtensions.AddHallMonitorSilo"/>)
/// over a generated hall, on loopback ports of its own, with its data in a temporary folder that goes away with it.
/// </summary>
public sealed class BenchSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private BenchSilo(IHost host, string folder)
    {
        _host = host;
        Folder = folder;
    }

    public string Folder { get; }

    /// <summary>The database file when the silo runs on SQLite.</summary>
    public string DatabasePath => Path.Combine(Folder, "data", "hallmonitor.db");

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public HallMonitorOptions Options => _host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HallMonitorOptions>>().Value;

    /// <summary>The SQLite store, or null on memory storage.</summary>
    public SqliteStore? Store => _host.Services.GetService<SqliteStore>();

    /// <summary>The PostgreSQL store, or null unless the silo runs on PostgreSQL.</summary>
    public PostgresStore? PostgresStore => _host.Services.GetService<PostgresStore>();

    public HallJournal Journal => _host.Services.GetRequiredService<HallJournals>().Get(GeneratedHalls.HallId);

    public IHallGrain Hall => Grains.GetHall(GeneratedHalls.HallId);

    public IMatterGrain Matter(string code) => Grains.GetMatter(GeneratedHalls.HallId, code);

    public IWindowGrain Window(string windowId) => Grains.GetWindow(GeneratedHalls.HallId, windowId);

    /// <summary>
    /// Starts a silo on <paramref name="storage"/> (<c>sqlite</c> or <c>memory</c>); <paramref name="overrides"/>
    /// (the command line) may set any <c>HallMonitor:</c> key, such as <c>HallMonitor:SqliteSynchronous</c>.
    /// With <paramref name="folder"/>, the silo starts on the data already there (its <c>data</c> subfolder).
    /// </summary>
    public static async Task<BenchSilo> StartAsync(HallsFile halls, string storage, IConfiguration overrides, string? folder = null)
    {
        folder ??= Directory.CreateTempSubdirectory("hallmonitor-bench-").FullName;
        var hallsFile = Path.Combine(folder, "halls.json");
        await File.WriteAllTextAsync(hallsFile, JsonSerializer.Serialize(halls, HallMonitorJson.Options));

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = folder });
        var settings = FreePort.SiloPorts();
        settings["HallMonitor:HallsFile"] = hallsFile;
        settings["HallMonitor:DataDir"] = Path.Combine(folder, "data");
        settings["HallMonitor:Storage"] = storage;
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddConfiguration(overrides);
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.AddHallMonitorSilo();

        var host = builder.Build();
        await host.StartAsync();
        var silo = new BenchSilo(host, folder);
        await silo.Hall.EnsureActiveAsync();
        return silo;
    }

    /// <summary>A silo on memory storage over the smallest hall, for grains that are not the hall's (the call benchmarks).</summary>
    public static Task<BenchSilo> StartBareAsync() =>
        StartAsync(GeneratedHalls.OneComprehensiveWindow(matters: 1), "memory", new ConfigurationBuilder().Build());

    /// <summary>Stops the silo gracefully: the grains write their checkpoints and nothing writes after it.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _host.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();

        // The SQLite store is only asynchronously disposable, so the host must be too.
        await ((IAsyncDisposable)_host).DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
