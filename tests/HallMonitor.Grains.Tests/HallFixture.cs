using System.Text.Json;
using HallMonitor.Silo;
using HallMonitor.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Providers;
using Orleans.Storage;

namespace HallMonitor.Grains.Tests;

/// <summary>
/// An Orleans silo hosted exactly as the product hosts it (<see cref="SiloHostingExtensions.AddHallMonitorSilo"/>),
/// over in-memory stores and a manual clock. The grains and their timers run on the manual
/// clock; Orleans' own background areas (membership, messaging, activation collection) on the system clock,
/// so that moving the hall's time never times out a call or evicts the silo. Stores survive <see cref="RestartAsync"/> and
/// <see cref="CrashAsync"/>, so tests can check what a new silo rebuilds from them.
/// </summary>
public sealed class HallFixture : IAsyncDisposable
{
    /// <summary>09:00 on Monday 23 November 2026 in Asia/Shanghai.</summary>
    public static readonly DateTimeOffset Morning = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);

    /// <summary>The test hall's time zone, for computing local midnights independently of the product.</summary>
    public static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);

    private readonly IHost _host;
    private readonly string _hallsFile;
    private readonly IReadOnlyDictionary<string, string>? _calendars;
    private readonly JournalSubscription _committed;
    private readonly List<JournalRecord> _committedSoFar = [];
    private bool _stopped;

    private HallFixture(IHost host, string hallsFile, ManualTimeProvider clock, MemoryJournalStore journal, JsonMemoryGrainStorage storage, MemoryReportStore reports, LogRecorder logs, IReadOnlyDictionary<string, string>? calendars)
    {
        _host = host;
        _calendars = calendars;
        Logs = logs;
        _hallsFile = hallsFile;
        Clock = clock;
        Journal = journal;
        Storage = storage;
        Reports = reports;
        _committed = host.Services.GetRequiredService<HallJournals>().Get(HallId).Subscribe();
    }

    public const string HallId = "test";

    public ManualTimeProvider Clock { get; }

    public MemoryJournalStore Journal { get; }

    public JsonMemoryGrainStorage Storage { get; }

    public MemoryReportStore Reports { get; }

    /// <summary>The warnings this silo logged.</summary>
    public LogRecorder Logs { get; }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>Orleans' management grain: activation counts and forced collection of idle activations.</summary>
    public IManagementGrain Management => Grains.GetGrain<IManagementGrain>(0);

    /// <summary>
    /// Collects every idle activation of the product's grains, as Orleans does after the collection age, and
    /// returns once none is left; an activation still finishing the request the test just made is collected on
    /// a later pass.
    /// </summary>
    public async Task CollectIdleActivationsAsync()
    {
        await Eventually.Async(
            async () =>
            {
                await Management.ForceActivationCollection(TimeSpan.Zero);
                var left = await Management.GetSimpleGrainStatistics();
                return string.Join(", ", left.Where(s => s.GrainType.StartsWith("HallMonitor.Grains.", StringComparison.Ordinal) && s.ActivationCount > 0).Select(s => s.GrainType));
            },
            left => left.Length == 0);
    }

    public IHallGrain Hall => Grains.GetHall(HallId);

    /// <summary>The matter codes of the test hall.</summary>
    public static IReadOnlyList<string> MatterCodes { get; } = ["BIZ-REG", "BIZ-CHG", "TAX-INV", "RE-TRANS"];

    /// <summary>The window ids of the test hall.</summary>
    public static IReadOnlyList<string> WindowIds { get; } = ["01", "02", "03", "04"];

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

    /// <summary>
    /// Starts a silo. <paramref name="journalStore"/> may put a store of the test's own in front of the memory
    /// journal; a restarted or crashed-and-restarted silo uses the memory journal directly.
    /// </summary>
    /// <remarks>
    /// <paramref name="wakePeriod"/> sets the hall's wake reminder, which ticks on the system clock (Orleans'
    /// reminder service is a background area); the product's minute is longer than any test.
    /// </remarks>
    public static Task<HallFixture> StartAsync(
        HallsFile? halls = null,
        DateTimeOffset? now = null,
        Func<MemoryJournalStore, IJournalStore>? journalStore = null,
        TimeSpan? wakePeriod = null,
        TimeSpan? responseTimeout = null,
        IReadOnlyDictionary<string, string>? calendars = null,
        TimeSpan? predictPeriod = null)
    {
        var journal = new MemoryJournalStore();
        return StartAsync(
            halls ?? TestHalls(),
            new ManualTimeProvider(now ?? Morning),
            journal,
            new JsonMemoryGrainStorage(),
            new MemoryReportStore(),
            journalStore?.Invoke(journal) ?? journal,
            wakePeriod,
            responseTimeout,
            calendars,
            predictPeriod);
    }

    private static async Task<HallFixture> StartAsync(
        HallsFile halls,
        ManualTimeProvider clock,
        MemoryJournalStore journal,
        JsonMemoryGrainStorage storage,
        MemoryReportStore reports,
        IJournalStore? journalStore = null,
        TimeSpan? wakePeriod = null,
        TimeSpan? responseTimeout = null,
        IReadOnlyDictionary<string, string>? calendars = null,
        TimeSpan? predictPeriod = null)
    {
        // A folder of its own: the calendars (calendars/{name}.json) live next to the halls file.
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"halls-{Guid.NewGuid():N}")).FullName;
        var hallsFile = Path.Combine(folder, "halls.json");
        await File.WriteAllTextAsync(hallsFile, JsonSerializer.Serialize(halls, HallMonitor.Grains.HallMonitorJson.Options));
        foreach (var (name, json) in calendars ?? new Dictionary<string, string>())
        {
            Directory.CreateDirectory(Path.Combine(folder, "calendars"));
            await File.WriteAllTextAsync(Path.Combine(folder, "calendars", $"{name}.json"), json);
        }


        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var settings = FreePort.SiloPorts();
        settings["HallMonitor:HallsFile"] = hallsFile;
        settings["HallMonitor:Storage"] = "memory";
        if (wakePeriod is { } period)
        {
            settings["HallMonitor:WakePeriod"] = period.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        }

        // Predicted overtime runs only where a test asks for it: its ticks would otherwise journal alerts beside
        // what a test compares (a picture before and after a restart, an exact journal).
        settings["HallMonitor:PredictPeriod"] = (predictPeriod ?? TimeSpan.Zero).ToString("c", System.Globalization.CultureInfo.InvariantCulture);

        if (responseTimeout is { } timeout)
        {
            settings["HallMonitor:ResponseTimeout"] = timeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var logs = new LogRecorder();
        builder.Logging.AddProvider(logs);
        builder.AddHallMonitorSilo();
        builder.Services.UseManualClock(clock);
        builder.Services.AddSingleton<IJournalStore>(journalStore ?? journal);
        builder.Services.AddKeyedSingleton<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, storage);
        builder.Services.AddSingleton<IReportStore>(reports);

        var host = builder.Build();
        await host.StartAsync();
        var fixture = new HallFixture(host, hallsFile, clock, journal, storage, reports, logs, calendars);

        // A test with a short response timeout still starts on a busy machine: the activation goes on when a call
        // waiting for it times out, so asking again finds it done (or nearly).
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await fixture.Hall.EnsureActiveAsync();
                break;
            }
            catch (TimeoutException) when (attempt < 30)
            {
            }
        }

        // The hall's first roll-over tick is due at once; a manual clock fires it only when moved. Firing it now,
        // before any test moves the clock, arms the next one for exactly the coming local midnight. The snapshot
        // call queues behind the tick, so it returns after the tick has re-armed the timer.
        clock.Advance(TimeSpan.Zero);
        await fixture.Hall.GetSnapshotAsync();
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

    /// <summary>Calls the next ticket at <paramref name="window"/>, serves it for <paramref name="handle"/> and completes it.</summary>
    public async Task<TicketView> ServeNextAsync(string window, TimeSpan handle)
    {
        var called = await Window(window).CallNextAsync() ?? throw new InvalidOperationException($"Nothing waits for window {window}.");
        await Window(window).StartAsync();
        Clock.Advance(handle);
        await Window(window).CompleteAsync();
        return called;
    }

    /// <summary>
    /// Lets the hall's 30-second checkpoint timer write what the hall has seen so far, and waits until the stored
    /// checkpoint has reached the end of the journal: the tick reaches the grain asynchronously, after
    /// <see cref="ManualTimeProvider.Advance"/> returns, so no call made after the advance is sure to follow it.
    /// </summary>
    public async Task CheckpointHallAsync()
    {
        await Hall.GetSnapshotAsync();
        var end = (await ReadJournalAsync()).Select(r => r.Seq).DefaultIfEmpty(0).Max();
        Clock.Advance(TimeSpan.FromSeconds(30));
        await Eventually.Async(
            () => ReadCheckpointAsync<HallProjection>("hall", "hall", HallId),
            checkpoint => checkpoint is not null && checkpoint.AppliedSeq >= end);
    }

    /// <summary>The last checkpoint a grain wrote, or null when it has written none.</summary>
    public async Task<TState?> ReadCheckpointAsync<TState>(string stateName, string grainType, string key)
        where TState : class, new()
    {
        var stored = new GrainState<TState>();
        await Storage.ReadStateAsync(stateName, GrainId.Create(grainType, key), stored);
        return stored.RecordExists ? stored.State : null;
    }

    /// <summary>The whole stored journal of the test hall, in sequence order.</summary>
    public Task<IReadOnlyList<JournalRecord>> ReadJournalAsync() =>
        Journal.ReadAsync(HallId, new JournalQuery { Limit = int.MaxValue });

    /// <summary>The next local midnight of the test hall after the clock's current time.</summary>
    public DateTimeOffset NextMidnight()
    {
        var tomorrow = TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), Shanghai).Date.AddDays(1);
        return new DateTimeOffset(tomorrow, Shanghai.GetUtcOffset(tomorrow));
    }

    /// <summary>
    /// Moves the clock one second past the next local midnight, which fires the hall's roll-over, and waits until
    /// the roll-over has journaled <paramref name="expectedExpiries"/> expired tickets.
    /// </summary>
    /// <remarks>
    /// Only one second past midnight: grain calls time out on the same clock after 30 s, so moving further while
    /// the roll-over's calls are under way would time them out.
    /// </remarks>
    public async Task StartNextServiceDayAsync(int expectedExpiries)
    {
        var expiredBefore = CountCommitted("ticketExpired");
        var midnight = NextMidnight();

        // Let the evening pass first: alerts that came due during the day are handled while it is still that
        // day, as they would be with a clock that moves by itself.
        if (midnight.AddMinutes(-1) > Clock.GetUtcNow())
        {
            Clock.AdvanceTo(midnight.AddMinutes(-1));
            await SettleAsync();
        }

        Clock.AdvanceTo(midnight.AddSeconds(1));
        await WaitForExpiriesAsync(expiredBefore + expectedExpiries);
    }

    /// <summary>Returns once every matter and window has handled the timer ticks that are due (calls queue behind them).</summary>
    public async Task SettleAsync()
    {
        foreach (var matter in MatterCodes)
        {
            await Matter(matter).GetQueueAsync();
        }

        foreach (var window in WindowIds)
        {
            await Window(window).GetAsync();
        }
    }

    /// <summary>Waits until this silo has journaled <paramref name="count"/> expired tickets in all.</summary>
    public async Task WaitForExpiriesAsync(int count)
    {
        using var limit = new CancellationTokenSource(WaitLimit);
        try
        {
            while (CountCommitted("ticketExpired") < count)
            {
                if (!await _committed.Reader.WaitToReadAsync(limit.Token))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        var expired = CountCommitted("ticketExpired");
        Assert.True(expired >= count, $"The roll-over journaled {expired} expired tickets, not {count}.");
    }

    /// <summary>How many events of <paramref name="type"/> this silo has committed so far.</summary>
    private int CountCommitted(string type)
    {
        while (_committed.Reader.TryRead(out var records))
        {
            _committedSoFar.AddRange(records);
        }

        return _committedSoFar.Count(r => r.Type == type);
    }

    /// <summary>
    /// Stops this silo gracefully (grains write their checkpoints) and starts a new one on the same stores,
    /// <paramref name="downtime"/> later.
    /// </summary>
    public async Task<HallFixture> RestartAsync(TimeSpan downtime = default)
    {
        await StopAsync();
        return await StartAsync(Halls(), new ManualTimeProvider(Clock.GetUtcNow() + downtime), Journal, Storage, Reports, calendars: _calendars);
    }

    /// <summary>
    /// Abandons this silo without stopping it, as a killed process would, and starts a new one on the same stores,
    /// <paramref name="downtime"/> later. The abandoned silo's clock never moves again, so its timers stay silent.
    /// </summary>
    public Task<HallFixture> CrashAsync(TimeSpan downtime = default) =>
        StartAsync(Halls(), new ManualTimeProvider(Clock.GetUtcNow() + downtime), Journal, Storage, Reports, calendars: _calendars);

    /// <summary>Abandons this silo and starts a new one on the same journal, with every derived store lost.</summary>
    public Task<HallFixture> CrashLosingDerivedStateAsync() =>
        StartAsync(Halls(), new ManualTimeProvider(Clock.GetUtcNow()), Journal, new JsonMemoryGrainStorage(), new MemoryReportStore(), calendars: _calendars);

    private HallsFile Halls() => JsonSerializer.Deserialize<HallsFile>(File.ReadAllText(_hallsFile), HallMonitor.Grains.HallMonitorJson.Options)!;

    private async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        _committed.Dispose();
        using var limit = new CancellationTokenSource(WaitLimit);
        await _host.StopAsync(limit.Token);
        _host.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(Path.GetDirectoryName(_hallsFile)!, recursive: true);
    }
}
