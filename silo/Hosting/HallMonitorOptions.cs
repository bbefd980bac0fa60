namespace HallMonitor.Silo;

/// <summary>The <c>HallMonitor</c> configuration section.</summary>
public sealed class HallMonitorOptions
{
    public const string Section = "HallMonitor";

    /// <summary>The hall configuration file; relative paths are resolved against the content root.</summary>
    public string HallsFile { get; set; } = "halls.json";

    /// <summary>Where the embedded SQLite database lives; relative paths are resolved against the content root.</summary>
    public string DataDir { get; set; } = "data";

    /// <summary><c>sqlite</c> (default, durable) or <c>memory</c> (throw-away, for demos and tests).</summary>
    public string Storage { get; set; } = "sqlite";

    /// <summary><c>embedded</c>: the web process hosts the grains itself.</summary>
    public string Silo { get; set; } = "embedded";

    /// <summary>SQLite <c>synchronous</c> level: <c>full</c> survives power loss, <c>normal</c> only process crashes.</summary>
    public string SqliteSynchronous { get; set; } = "full";
}
