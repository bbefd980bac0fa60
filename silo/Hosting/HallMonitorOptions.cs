using Microsoft.Extensions.Configuration;

namespace HallMonitor.Silo;

/// <summary>The <c>HallMonitor</c> configuration section.</summary>
public sealed class HallMonitorOptions
{
    public const string Section = "HallMonitor";

    /// <summary>The section as configured (command line, environment <c>HallMonitor__Key</c>, appsettings), defaults elsewhere.</summary>
    public static HallMonitorOptions Read(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<HallMonitorOptions>() ?? new HallMonitorOptions();

    /// <summary>The hall configuration file; relative paths are resolved against the content root.</summary>
    public string HallsFile { get; set; } = "halls.json";

    /// <summary>Where the embedded SQLite database lives; relative paths are resolved against the content root.</summary>
    public string DataDir { get; set; } = "data";

    /// <summary>
    /// <c>sqlite</c> (default, durable, one process), <c>postgres</c> (durable, shared by the silos of a cluster) or
    /// <c>memory</c> (throw-away, for demos and tests).
    /// </summary>
    public string Storage { get; set; } = "sqlite";

    /// <summary>
    /// The Npgsql connection string of the PostgreSQL database used with <c>Storage=postgres</c>
    /// (<c>Host=…;Username=…;Password=…;Database=…</c>); the schema is created or upgraded at start-up.
    /// </summary>
    public string? Postgres { get; set; }

    /// <summary>
    /// <c>embedded</c>: the web process is an Orleans silo and hosts the grains itself; <c>client</c>: the web
    /// process is an Orleans client of a cluster of silos (found through <see cref="Clustering"/>).
    /// </summary>
    public string Silo { get; set; } = "embedded";

    /// <summary><c>localhost</c>: a single silo on this machine; <c>redis</c>: the cluster's membership table in <see cref="Redis"/>.</summary>
    public string Clustering { get; set; } = "localhost";

    /// <summary>StackExchange.Redis connection string of the membership table and the reminders (<c>Clustering=redis</c>).</summary>
    public string? Redis { get; set; }

    /// <summary>The address other silos and clients reach this silo at (a pod's IP on Kubernetes); loopback when unset.</summary>
    public string? AdvertisedIP { get; set; }

    /// <summary>This silo's name in the membership table (a pod's name on Kubernetes); Orleans makes one up when unset.</summary>
    public string? SiloName { get; set; }

    /// <summary>How long a silo waits for a probe's answer before counting it missed (cluster membership).</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Missed probes in a row after which a silo suspects another; with too few voters, it declares it dead.</summary>
    public int MissedProbesLimit { get; set; } = 2;

    /// <summary>SQLite <c>synchronous</c> level: <c>full</c> survives power loss, <c>normal</c> only process crashes.</summary>
    public string SqliteSynchronous { get; set; } = "full";

    /// <summary>Orleans silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Orleans client gateway port.</summary>
    public int GatewayPort { get; set; } = 30000;

    public string ClusterId { get; set; } = "hallmonitor";

    public string ServiceId { get; set; } = "hallmonitor";

    /// <summary>A grain without calls for this long is deactivated (Orleans' collection age).</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// A grain call that has not answered by then fails with a timeout (503 at the edge). Commands take
    /// milliseconds; the bound matters when a silo dies with calls in flight, which wait for it. Journal
    /// verification and reports, which may read a year of records, have their own (a minute).
    /// </summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// 0 (off), or 1–3600: simulate a service day of the configured halls on a clock this many times faster than real
    /// time, on throw-away storage, driven through the process's own HTTP API (the demo).
    /// </summary>
    public double Simulate { get; set; }

    /// <summary>The seed of the simulator's random numbers: the same seed and speed give the same visitors.</summary>
    public int SimulationSeed { get; set; } = 20261127;

}
