using System.Text.Json;
using HallMonitor.Runtime;
using HallMonitor.Silo;
using HallMonitor.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HallMonitor.Grains.Tests;

/// <summary>
/// A silo hosted exactly as the product hosts it (<see cref="SiloHostingExtensions.AddHallMonitorSilo"/>),
/// over in-memory stores and a manual clock. Stores survive <see cref="RestartAsync"/> and
/// <see cref="CrashAsync"/>, so tests can check what a new silo rebuilds from them.
/// </summary>
public sealed class HallFixture : IAsyncDisposable
{
    /// <summary>09:00 on Monday 23 November 2026 in Asia/Shanghai.</summary>
    public static readonly DateTimeOffset Morning = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);

    private readonly IHost _host;
    private readonly string _hallsFile;

    private HallFixture(IHost host, string hallsFile, ManualTimeProvider clock, MemoryJournalStore journal, MemoryGrainStorage storage, MemoryReportStore reports)
    {
        _host = host;
        _hallsFile = hallsFile;
        Clock = clock;
        Journal = journal;
        Storage = storage;
        Reports = reports;
    }

    public const string HallId = "test";

    public ManualTimeProvider Clock { get; }

    public MemoryJournalStore Journal { get; }

    public MemoryGrainStorage Storage { get; }

    public MemoryReportStore Reports { get; }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public GrainRuntime Runtime => _host.Services.GetRequiredService<GrainRuntime>();

    public IHallGrain Hall => Grains.GetHall(HallId);

    /// <summary>
    /// A hall with four matters (two share the prefix A) and windows: 01 and 02 serve everything, 03 only
    /// BIZ-REG, 04 only TAX-INV and RE-TRANS.
    /// </summary>
    public static HallsFile TestHalls() => new()
    {
        Halls =
        [
            new HallDefinition
            {
                Id = HallId,
                Name = "测试政务服务中心",
                TimeZone = "Asia/Shanghai",
                Matters =
                [
                    Matter("BIZ-REG", "企业设立登记", "商事登记", "A", 1800, 1200),
                    Matter("BIZ-CHG", "企业变更登记", "商事登记", "A", 1800, 900),
                    Matter("TAX-INV", "发票领用", "办税服务", "B", 1200, 600),
                    Matter("RE-TRANS", "不动产转移登记", "不动产登记", "C", 1800, 1800),
                ],
                Windows =
                [
                    new WindowDefinition { Id = "01", Name = "1号窗口", Kind = WindowKind.Comprehensive, Matters = ["*"] },
                    new WindowDefinition { Id = "02", Name = "2号窗口", Kind = WindowKind.Comprehensive, Matters = ["*"] },
                    new WindowDefinition { Id = "03", Name = "3号窗口", Kind = WindowKind.Dedicated, Matters = ["BIZ-REG"] },
                    new WindowDefinition { Id = "04", Name = "4号窗口", Kind = WindowKind.Dedicated, Matters = ["TAX-INV", "RE-TRANS"] },
                ],
            },
        ],
    };

    public static MatterDefinition Matter(string code, string name, string category, string prefix, int wait, int handle) => new()
    {
        Code = code,
        Name = name,
        Category = category,
        Prefix = prefix,
        WaitTargetSeconds = wait,
        HandleTargetSeconds = handle,
    };

    public static Task<HallFixture> StartAsync(HallsFile? halls = null, DateTimeOffset? now = null) =>
        StartAsync(halls ?? TestHalls(), new ManualTimeProvider(now ?? Morning), new MemoryJournalStore(), new MemoryGrainStorage(HallMonitor.Grains.HallMonitorJson.Options), new MemoryReportStore());

    private static async Task<HallFixture> StartAsync(HallsFile halls, ManualTimeProvider clock, MemoryJournalStore journal, MemoryGrainStorage storage, MemoryReportStore reports)
    {
        var hallsFile = Path.Combine(Path.GetTempPath(), $"halls-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(hallsFile, JsonSerializer.Serialize(halls, HallMonitor.Grains.HallMonitorJson.Options));

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["HallMonitor:HallsFile"] = hallsFile,
            ["HallMonitor:Storage"] = "memory",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddHallMonitorSilo();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSingleton<IJournalStore>(journal);
        builder.Services.AddKeyedSingleton<IGrainStorage>(GrainStorage.DefaultName, storage);
        builder.Services.AddSingleton<IReportStore>(reports);

        var host = builder.Build();
        await host.StartAsync();
        var fixture = new HallFixture(host, hallsFile, clock, journal, storage, reports);
        await fixture.Hall.EnsureActiveAsync();
        return fixture;
    }

    public IMatterGrain Matter(string code) => Grains.GetMatter(HallId, code);

    public IWindowGrain Window(string id) => Grains.GetWindow(HallId, id);

    public ITicketGrain Ticket(string id) => Grains.GetTicket(HallId, id);

    /// <summary>Takes a number for a matter from the kiosk.</summary>
    public Task<TicketView> IssueAsync(string matter, bool priority = false) =>
        Matter(matter).IssueAsync(TicketChannel.Kiosk, priority, "kiosk");

    /// <summary>Opens a window for a clerk named after it.</summary>
    public Task<WindowView> OpenAsync(string window, string? clerk = null) => Window(window).OpenAsync(clerk ?? $"clerk{window}");

    /// <summary>Stops this silo gracefully (grains write their checkpoints) and starts a new one on the same stores.</summary>
    public async Task<HallFixture> RestartAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        return await StartAsync(Halls(), new ManualTimeProvider(Clock.GetUtcNow()), Journal, Storage, Reports);
    }

    /// <summary>
    /// Abandons this silo without stopping it, as a killed process would, and starts a new one on the same
    /// stores, <paramref name="downtime"/> later.
    /// </summary>
    public Task<HallFixture> CrashAsync(TimeSpan? downtime = null) =>
        StartAsync(Halls(), new ManualTimeProvider(Clock.GetUtcNow() + (downtime ?? TimeSpan.Zero)), Journal, Storage, Reports);

    /// <summary>Abandons this silo and starts a new one on the same journal, with every derived store lost.</summary>
    public Task<HallFixture> CrashLosingDerivedStateAsync() =>
        StartAsync(Halls(), new ManualTimeProvider(Clock.GetUtcNow()), Journal, new MemoryGrainStorage(HallMonitor.Grains.HallMonitorJson.Options), new MemoryReportStore());

    private HallsFile Halls() => JsonSerializer.Deserialize<HallsFile>(File.ReadAllText(_hallsFile), HallMonitor.Grains.HallMonitorJson.Options)!;

    public async ValueTask DisposeAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _host.StopAsync(limit.Token);
        _host.Dispose();
        File.Delete(_hallsFile);
    }
}
