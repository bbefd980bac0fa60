using System.Globalization;
using System.Text.Json;
using HallMonitor.Grains;
using HallMonitor.Testing;

namespace HallMonitor.Cluster.Tests;

/// <summary>
/// A city on one machine, as the README's cluster run: Redis (membership, reminders), PostgreSQL (journal,
/// checkpoints, report facts), two silos and two web replicas that are Orleans clients of them.
/// </summary>
public sealed class CityCluster : IAsyncLifetime
{
    public static readonly string[] HallIds = ["xinqu", "kuancheng", "nanguan"];

    /// <summary>A hall whose matter's wait target is seconds, for alerts that come due while a silo is dead.</summary>
    public const string AlarmHall = "jingyue";

    /// <summary>The wait target of <see cref="AlarmHall"/>'s matter.</summary>
    public static readonly TimeSpan AlarmWaitTarget = TimeSpan.FromSeconds(8);

    private readonly string _folder = Directory.CreateTempSubdirectory("hallmonitor-city-").FullName;

    public RedisServer Redis { get; private set; } = null!;

    public PostgresServer Postgres { get; private set; } = null!;

    internal ClusterProcess[] Silos { get; private set; } = [];

    internal ClusterProcess[] Webs { get; private set; } = [];

    public static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    public async Task InitializeAsync()
    {
        var redis = RedisServer.StartAsync();
        var postgres = PostgresServer.StartAsync();
        Redis = await redis;
        Postgres = await postgres;
        var database = await Postgres.CreateDatabaseAsync("city");
        var halls = WriteHalls(_folder);
        var common = new Dictionary<string, string>
        {
            ["HallMonitor:HallsFile"] = halls,
            ["HallMonitor:Clustering"] = "redis",
            ["HallMonitor:Redis"] = Redis.ConnectionString,
            ["HallMonitor:ClusterId"] = "city-test",
            ["HallMonitor:ServiceId"] = "city-test",
            ["Logging:LogLevel:Default"] = "Warning",

            // Bursts of commands from one address are the point here.
            ["HallMonitor:RateLimit:CommandsPerMinute"] = "0",
        };
        Silos = [.. Enumerable.Range(1, 2).Select(i => ClusterProcess.Silo($"silo{i}", new Dictionary<string, string>(common)
        {
            ["HallMonitor:Storage"] = "postgres",
            ["HallMonitor:Postgres"] = database,
            ["HallMonitor:SiloName"] = $"silo{i}",
            ["HallMonitor:WakePeriod"] = "00:00:03",
            ["HallMonitor:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["HallMonitor:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        }))];
        // One replica configured on the command line, the other through environment variables (HallMonitor__Redis…).
        Webs = [.. Enumerable.Range(1, 2).Select(i => ClusterProcess.Web($"web{i}", new Dictionary<string, string>(common)
        {
            ["HallMonitor:Silo"] = "client",
        }, asEnvironment: i == 2))];

        foreach (var process in Silos.Concat(Webs))
        {
            process.Start();
        }

        await Task.WhenAll(Silos.Concat(Webs).Select(p => p.WaitReadyAsync(StartLimit)));
    }

    /// <summary>Starts again whatever a test stopped, and waits until every process is ready.</summary>
    internal async Task EnsureRunningAsync()
    {
        foreach (var process in Silos.Concat(Webs).Where(p => p.Pid is null))
        {
            process.Start();
        }

        await Task.WhenAll(Silos.Concat(Webs).Select(p => p.WaitReadyAsync(StartLimit)));
    }

    public async Task DisposeAsync()
    {
        foreach (var process in Webs.Concat(Silos))
        {
            await process.DisposeAsync();
        }

        await Redis.DisposeAsync();
        await Postgres.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Three halls (the more halls, the surer each silo holds some), each with a queue and three windows.</summary>
    private static string WriteHalls(string folder)
    {
        var file = new HallsFile
        {
            Halls = [.. HallIds.Select((id, i) => new HallDefinition
            {
                Id = id,
                Name = $"测试大厅{i + 1}",
                Matters =
                [
                    new MatterDefinition { Code = "BIZ-REG", Name = "企业设立登记", Category = "商事登记", Prefix = "A", WaitTargetSeconds = 1800, HandleTargetSeconds = 1200 },
                    new MatterDefinition { Code = "TAX-INV", Name = "发票领用", Category = "办税服务", Prefix = "B", WaitTargetSeconds = 1200, HandleTargetSeconds = 600 },
                ],
                Windows = [.. Enumerable.Range(1, 3).Select(w => new WindowDefinition
                {
                    Id = w.ToString("00", CultureInfo.InvariantCulture),
                    Name = $"{w}号窗口",
                    Kind = WindowKind.Comprehensive,
                    Matters = ["*"],
                })],
            }), new HallDefinition
            {
                Id = AlarmHall,
                Name = "净月区政务服务中心",
                Matters =
                [
                    new MatterDefinition { Code = "HH-ID", Name = "居民身份证", Category = "户籍治安", Prefix = "H", WaitTargetSeconds = (int)AlarmWaitTarget.TotalSeconds, HandleTargetSeconds = 600 },
                ],
                Windows = [new WindowDefinition { Id = "01", Name = "1号窗口", Kind = WindowKind.Comprehensive, Matters = ["*"] }],
            }],
        };
        var path = Path.Combine(folder, "halls.json");
        File.WriteAllText(path, JsonSerializer.Serialize(file, HallMonitorJson.Options));
        return path;
    }
}
