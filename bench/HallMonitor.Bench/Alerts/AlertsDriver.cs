using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using HallMonitor.Bench.Reports;
using HallMonitor.Grains;
using HallMonitor.Silo;
using HallMonitor.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace HallMonitor.Bench.Alerts;

/// <summary>
/// How late overtime alerts reach a browser: the product (web co-hosting the silo, SQLite) on real Kestrel,
/// a hall with 100,000 tickets waiting, a SignalR client joined to it, and probe tickets whose alerts come due
/// one after another and then all at once. Latency is the client's receive time minus the alert's due moment.
/// </summary>
public static class AlertsDriver
{
    private const string HallId = "bench";
    private const int ProbeTargetSeconds = 60;
    private const double WarnRatio = 0.8;

    public static async Task<int> RunAsync(IConfiguration options)
    {
        var waiting = options.GetValue("waiting", 100_000);
        var steady = options.GetValue("steady", 300);
        var burst = options.GetValue("burst", 1000);
        Console.WriteLine(Machine.Describe());

        var folder = Directory.CreateTempSubdirectory("hallmonitor-bench-").FullName;
        var hallsFile = Path.Combine(folder, "halls.json");
        var halls = Halls();
        await File.WriteAllTextAsync(hallsFile, JsonSerializer.Serialize(halls, HallMonitorJson.Options));
        var written = Stopwatch.StartNew();
        await WriteWaitingAsync(new Hall(halls.Halls[0]), Path.Combine(folder, "data", "hallmonitor.db"), waiting);
        Console.WriteLine($"journal: {YearOfJournal.Format(waiting)} tickets waiting for BULK (wait target 8 h), written in {written.Elapsed.TotalSeconds:0.0} s");

        try
        {
            // The same product with no ticket waiting, in this process first: the baseline of the memory per ticket.
            var heapBefore = HeapAfterFullGc();
            long heapEmpty;
            await using (var empty = new Host(Directory.CreateDirectory(Path.Combine(folder, "empty")).FullName, hallsFile))
            {
                using var emptyHttp = new HttpClient { BaseAddress = empty.Address };
                (await emptyHttp.GetAsync("/readyz")).EnsureSuccessStatusCode();
                await using var emptyHub = await HubClient.ConnectAsync(new UriBuilder(empty.Address) { Scheme = "ws", Path = "/hubs/hall" }.Uri);
                await emptyHub.InvokeAsync<HallSnapshot>("JoinHall", HallId);
                heapEmpty = await HeapWithQueueActiveAsync(empty);
            }

            // What a stopped host leaves behind (JIT'd code, caches, pools) stays in the heap measured next.
            var residue = HeapAfterFullGc() - heapBefore;

            await using var host = new Host(folder, hallsFile);
            var started = Stopwatch.StartNew();
            var address = host.Address;
            using var http = new HttpClient { BaseAddress = address };
            (await http.GetAsync("/readyz")).EnsureSuccessStatusCode();
            Console.WriteLine($"start with them in the journal: {started.Elapsed.TotalSeconds:0.0} s");

            await using var hub = await HubClient.ConnectAsync(new UriBuilder(address) { Scheme = "ws", Path = "/hubs/hall" }.Uri);
            var joined = Stopwatch.StartNew();
            var snapshot = await hub.InvokeAsync<HallSnapshot>("JoinHall", HallId);
            Console.WriteLine($"JoinHall: snapshot at event {YearOfJournal.Format(snapshot.Seq)}, {snapshot.Kpis.Waiting:N0} waiting, {joined.ElapsedMilliseconds} ms");
            var heapWaiting = await HeapWithQueueActiveAsync(host);
            Console.WriteLine(
                $"GC heap after a full GC: {Megabytes(heapWaiting)} with {YearOfJournal.Format(waiting)} waiting, {Megabytes(heapEmpty)} with none " +
                $"(less {Megabytes(residue)} left by that host): {(heapWaiting - heapEmpty - residue) / (double)waiting:0} bytes per waiting ticket");

            Console.WriteLine($"steady: {steady} probe tickets (wait target {ProbeTargetSeconds} s), one every 100 ms");
            var issued = Stopwatch.StartNew();
            for (var i = 0; i < steady; i++)
            {
                await IssueAsync(http);
                var next = TimeSpan.FromMilliseconds(100 * (i + 1)) - issued.Elapsed;
                if (next > TimeSpan.Zero)
                {
                    await Task.Delay(next);
                }
            }

            var steadyLatencies = await CollectAsync(hub, steady * 2, TimeSpan.FromSeconds(ProbeTargetSeconds + 30));
            Report("steady", steadyLatencies);

            Console.WriteLine($"burst: {burst} probe tickets at once, so that their alerts come due together");
            await Task.WhenAll(Enumerable.Range(0, burst).Select(_ => IssueAsync(http)));
            var burstLatencies = await CollectAsync(hub, burst * 2, TimeSpan.FromSeconds(ProbeTargetSeconds + 60));
            Report("burst", burstLatencies);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }

        return 0;
    }

    /// <summary>
    /// The GC heap after a full, compacting collection, once every projection of a waiting ticket is active: the hall's
    /// (the snapshot's counts, dispatch), the queue's (its order and alert clocks) and the report projection's (the
    /// ticket's fact, kept in memory until the ticket is finished), which catches up to the journal's end on a report.
    /// </summary>
    private static async Task<long> HeapWithQueueActiveAsync(Host host)
    {
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        await grains.GetMatter(HallId, "BULK").GetQueueAsync();
        var today = host.Services.GetRequiredService<HallCatalog>().GetHall(HallId).ServiceDay(DateTimeOffset.UtcNow);
        await grains.GetGrain<IReportGrain>(HallId).GetSummaryAsync(today, today, ReportGrouping.Hall);
        return HeapAfterFullGc();
    }

    private static long HeapAfterFullGc()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }

    private static string Megabytes(long bytes) => $"{bytes / 1024.0 / 1024.0:0.0} MiB";

    private static Task IssueAsync(HttpClient http) =>
        http.PostAsJsonAsync($"/api/halls/{HallId}/tickets", new { matter = "PROBE" }).ContinueWith(t => t.Result.EnsureSuccessStatusCode(), TaskScheduler.Default);

    /// <summary>Reads alert messages until <paramref name="expected"/> raises and escalations of probe tickets arrived.</summary>
    private static async Task<List<(AlertLevel Level, double Milliseconds)>> CollectAsync(HubClient hub, int expected, TimeSpan within)
    {
        var latencies = new List<(AlertLevel, double)>();
        var deadline = Stopwatch.StartNew();
        while (latencies.Count < expected && deadline.Elapsed < within)
        {
            HubMessage message;
            try
            {
                message = await hub.NextAsync("alert", within - deadline.Elapsed);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            var alert = message.Argument<AlertView>();
            if (alert.Matter != "PROBE" || alert.Kind != AlertKind.WaitOvertime || alert.State != AlertState.Open || alert.AcknowledgedAt is not null)
            {
                continue;
            }

            // A raise at warning is due at the warn ratio; an escalation (or a raise straight at overtime) at the target.
            var due = alert.Since!.Value + TimeSpan.FromSeconds(ProbeTargetSeconds * (alert.Level == AlertLevel.Warning ? WarnRatio : 1));
            latencies.Add((alert.Level, (message.ReceivedAt - due).TotalMilliseconds));
        }

        return latencies;
    }

    private static void Report(string phase, List<(AlertLevel Level, double Milliseconds)> latencies)
    {
        foreach (var level in Enum.GetValues<AlertLevel>())
        {
            var values = latencies.Where(l => l.Level == level).Select(l => l.Milliseconds).Order().ToList();
            if (values.Count == 0)
            {
                Console.WriteLine($"  {phase} {level}: none received");
                continue;
            }

            Console.WriteLine($"  {phase} {level,-8}: {values.Count,5} alerts, late by p50 {At(values, 0.5):0.0} ms, p90 {At(values, 0.9):0.0} ms, p99 {At(values, 0.99):0.0} ms, max {values[^1]:0.0} ms; within 250 ms: {values.Count(v => v <= 250) * 100.0 / values.Count:0.0}%");
        }
    }

    private static double At(List<double> sorted, double quantile) => sorted[Math.Max(0, (int)Math.Ceiling(quantile * sorted.Count) - 1)];

    private static HallsFile Halls() => new()
    {
        Halls =
        [
            new HallDefinition
            {
                Id = HallId,
                Name = "压力测试政务服务中心",
                WarnRatio = WarnRatio,
                BacklogThreshold = 1_000_000,
                Matters =
                [
                    new MatterDefinition { Code = "BULK", Name = "批量事项", Category = "压力测试", Prefix = "A", WaitTargetSeconds = 8 * 3600, HandleTargetSeconds = 1800 },
                    new MatterDefinition { Code = "PROBE", Name = "探针事项", Category = "压力测试", Prefix = "P", WaitTargetSeconds = ProbeTargetSeconds, HandleTargetSeconds = 600 },
                ],
                Windows = [new WindowDefinition { Id = "01", Name = "1号窗口", Kind = WindowKind.Comprehensive, Matters = ["*"] }],
            },
        ],
    };

    /// <summary>Journals <paramref name="count"/> tickets waiting for BULK, issued over the last half hour.</summary>
    private static async Task WriteWaitingAsync(Hall hall, string database, int count)
    {
        var store = new SqliteStore(database, "normal", NullLogger<SqliteStore>.Instance);
        var journal = new SqliteJournalStore(store);
        var now = DateTimeOffset.UtcNow;
        var day = hall.ServiceDay(now);
        var previous = JournalHash.Genesis;
        var batch = new List<JournalRecord>();
        for (var i = 1; i <= count; i++)
        {
            var at = hall.LocalTime(now.AddSeconds(-1800 + (1800.0 * i / count)));
            var number = TicketNumber.Format("A", i);
            var issued = new TicketIssued(TicketNumber.TicketId(day, number), number, "BULK", TicketChannel.Kiosk, false, day);
            var data = EventCodec.Encode(issued);
            var hash = JournalHash.Compute(previous, hall.Id, i, at, "ticketIssued", "kiosk", data);
            batch.Add(new JournalRecord(hall.Id, i, at, "ticketIssued", "kiosk", data, hash, previous) { Event = issued });
            previous = hash;
            if (batch.Count == 5000 || i == count)
            {
                await journal.AppendAsync(batch, store.Epoch, () => { });
                batch = [];
            }
        }

        await store.DisposeAsync();
    }

    /// <summary>The web application (co-hosting the silo) on real Kestrel, over the prepared data folder.</summary>
    private sealed class Host(string folder, string hallsFile) : WebApplicationFactory<Program>
    {
        private Uri? _address;

        public Uri Address
        {
            get
            {
                if (_address is null)
                {
                    // The factory looks for the web project by assembly name; the bench serves no pages, so any folder will do.
                    Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_HALLMONITOR_WEB", folder);
                    UseKestrel(0);
                    StartServer();
                    var bound = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
                    _address = new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
                }

                return _address;
            }
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("HallMonitor:DataDir", Path.Combine(folder, "data"));
            builder.UseSetting("HallMonitor:HallsFile", hallsFile);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("HallMonitor:RateLimit:CommandsPerMinute", "0");
            builder.UseFreeSiloPorts();
        }
    }
}
