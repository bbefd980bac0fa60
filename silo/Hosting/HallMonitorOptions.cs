namespace HallMonitor.Silo;

/// <summary>The <c>HallMonitor</c> configuration section.</summary>
public sealed class HallMonitorOptions
{
    public const string Section = "HallMonitor";

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

    /// <summary><c>embedded</c>: the web process is an Orleans silo and hosts the grains itself.</summary>
    public string Silo { get; set; } = "embedded";

    /// <summary><c>localhost</c>: a single silo on this machine.</summary>
    public string Clustering { get; set; } = "localhost";

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

    /// <summary>A grain call that has not answered by then fails with a timeout (503 at the edge).</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

}
