using System.Diagnostics;
using System.Globalization;
using HallMonitor.Bench.Silo;
using HallMonitor.Grains;
using HallMonitor.Testing;
using Microsoft.Extensions.Configuration;

namespace HallMonitor.Bench.Lifecycles;

/// <summary>
/// Durable ticket lifecycles (issue → call-next → start → complete) through the grains, hosted with the
/// real silo wiring on SQLite, one clerk per window working as fast as the journal lets them; then the same
/// journal rows inserted into an identical table by plain batched SQLite, which is the ceiling.
/// </summary>
public static class LifecyclesDriver
{
    private const int CommandsPerLifecycle = 4;
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(IConfiguration options)
    {
        var duration = TimeSpan.FromSeconds(options.GetValue("seconds", 15.0));
        var windows = options.GetValue("windows", 100);
        var comprehensive = options.GetValue("comprehensive", windows / 5);
        var sectors = options.GetValue("sectors", 10);
        var matters = options.GetValue("matters", 60);
        var halls = GeneratedHalls.ServiceHall(windows, comprehensive, sectors, mattersPerSector: Math.Max(1, matters / sectors));
        var hall = new Hall(halls.Halls[0]);

        // PostgreSQL without a connection string: a throw-away server on this machine.
        await using var server = string.Equals(options["HallMonitor:Storage"], "postgres", StringComparison.OrdinalIgnoreCase) && options["HallMonitor:Postgres"] is null
            ? await PostgresServer.StartAsync()
            : null;
        if (server is not null)
        {
            options = new ConfigurationBuilder()
                .AddConfiguration(options)
                .AddInMemoryCollection(new Dictionary<string, string?> { ["HallMonitor:Postgres"] = await server.CreateDatabaseAsync("lifecycles") })
                .Build();
        }

        await using var silo = await BenchSilo.StartAsync(halls, "sqlite", options);
        var store = silo.Store;
        var postgres = silo.PostgresStore;
        var storage = store is not null ? $"SQLite synchronous={silo.Options.SqliteSynchronous.ToUpperInvariant()}, WAL"
            : postgres is not null ? $"PostgreSQL ({(server is null ? "given" : "local, throw-away")}), synchronous_commit=on"
            : "memory storage (no fsync)";
        Console.WriteLine(Machine.Describe());
        Console.WriteLine($"{storage}; "
            + $"{hall.Windows.Count} windows ({comprehensive} comprehensive), {hall.Matters.Count} matters in {sectors} sectors; {duration.TotalSeconds:0.#} s after a {Warmup.TotalSeconds:0} s warm-up");

        await Task.WhenAll(hall.Windows.Select(w => silo.Window(w.Id).OpenAsync($"clerk{w.Id}")));
        var counters = new Counters();
        using var stop = new CancellationTokenSource();
        var clerks = hall.Windows.Select((w, i) => Task.Run(() => ClerkAsync(silo, hall, w.Id, new Random(i), counters, stop.Token))).ToArray();

        await Task.Delay(Warmup);
        var before = Sample.Take(counters, store?.Commits ?? postgres?.Commits ?? 0, silo.Journal.DurableSeq);
        await Task.Delay(duration);
        var after = Sample.Take(counters, store?.Commits ?? postgres?.Commits ?? 0, silo.Journal.DurableSeq);
        await stop.CancelAsync();
        await Task.WhenAll(clerks);
        await silo.StopAsync();

        var run = Measured.Between(before, after);
        var latencies = counters.LatenciesBetween(before.At, after.At);
        var perCommit = run.Commits > 0 ? ((double)run.Events / run.Commits).ToString("N1", CultureInfo.InvariantCulture) : "–";
        Console.WriteLine();
        Console.WriteLine("| lifecycles/s | commands/s | events/s | commits/s | events/commit | lifecycle p50 | lifecycle p99 | CPU (100 % = 1 core) |");
        Console.WriteLine("|-------------:|-----------:|---------:|----------:|--------------:|--------------:|--------------:|---------------------:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {run.Lifecycles / run.Seconds,12:N0} | {run.Commands / run.Seconds,10:N0} | {run.Events / run.Seconds,8:N0} | {run.Commits / run.Seconds,9:N0} | {perCommit,13} | {Percentile(latencies, 0.50),10:N1} ms | {Percentile(latencies, 0.99),10:N1} ms | {run.CpuSeconds / run.Seconds * 100,14:N0} % |"));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"measured: {run.Lifecycles:N0} lifecycles, {run.Commands:N0} commands, {run.Events:N0} events in {run.Commits:N0} commits over {run.Seconds:0.0} s; "
            + $"{counters.EmptyCalls:N0} call-nexts found nobody waiting, {counters.Conflicts:N0} were refused"));

        if (store is null)
        {
            return 0;
        }

        var rows = RawJournalInsert.ReadRows(silo.DatabasePath);
        Console.WriteLine();
        Console.WriteLine($"Ceiling: the run's {rows.Count:N0} journal rows inserted again into an identical table (same indexes and PRAGMAs), by plain batched SQLite");
        Console.WriteLine();
        Console.WriteLine("| rows per commit | rows | rows/s | commits/s |");
        Console.WriteLine("|----------------:|-----:|-------:|----------:|");
        // The batch size the run made, larger ones for comparison, and one row per commit (on fewer rows: it is slow).
        var observed = Math.Max(1, (int)Math.Round((double)run.Events / run.Commits));
        (int Batch, int Rows)[] ceilings = [(observed, rows.Count), (100, rows.Count), (1_000, rows.Count), (1, Math.Min(rows.Count, 5_000))];
        foreach (var (batch, count) in ceilings)
        {
            var raw = RawJournalInsert.Run(rows, count, batch, silo.Folder, silo.Options.SqliteSynchronous);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {batch,15} | {count,4:N0} | {count / raw.TotalSeconds,6:N0} | {Math.Ceiling((double)count / batch) / raw.TotalSeconds,9:N0} |"));
        }

        return 0;
    }

    /// <summary>One clerk at one window: takes a number for a matter the window serves, then calls, serves and completes.</summary>
    private static async Task ClerkAsync(BenchSilo silo, Hall hall, string windowId, Random random, Counters counters, CancellationToken stop)
    {
        var window = silo.Window(windowId);
        var served = hall.ServedMatters(windowId) is { } some ? some.ToArray() : [.. hall.Matters.Select(m => m.Code)];
        while (!stop.IsCancellationRequested)
        {
            // Each lifecycle starts as a new work item, as a request from a clerk's console would, so that
            // clerks whose commands all complete synchronously (memory storage) cannot hold a thread for ever.
            await Task.Yield();
            var started = Stopwatch.GetTimestamp();
            await silo.Matter(served[random.Next(served.Length)]).IssueAsync(TicketChannel.Kiosk, priority: false, "kiosk");
            TicketView? called;
            try
            {
                called = await window.CallNextAsync();
            }
            catch (ConflictException)
            {
                counters.Conflict();
                continue;
            }

            if (called is null)
            {
                counters.Empty();
                continue;
            }

            await window.StartAsync();
            await window.CompleteAsync();
            counters.Completed(started);
        }
    }

    private static double Percentile(List<double> sorted, double share) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(share * sorted.Count))];

    /// <summary>What the clerks did: counts, and when each lifecycle ended and how long it took.</summary>
    private sealed class Counters
    {
        private readonly Lock _lock = new();
        private readonly List<(long End, double Milliseconds)> _lifecycles = [];
        private long _commands;
        private long _emptyCalls;
        private long _conflicts;

        public long Lifecycles
        {
            get
            {
                lock (_lock)
                {
                    return _lifecycles.Count;
                }
            }
        }

        public long Commands => Interlocked.Read(ref _commands);

        public long EmptyCalls => Interlocked.Read(ref _emptyCalls);

        public long Conflicts => Interlocked.Read(ref _conflicts);

        public void Completed(long started)
        {
            var end = Stopwatch.GetTimestamp();
            Interlocked.Add(ref _commands, CommandsPerLifecycle);
            lock (_lock)
            {
                _lifecycles.Add((end, Stopwatch.GetElapsedTime(started, end).TotalMilliseconds));
            }
        }

        /// <summary>An issue and a call-next that found nobody: the ticket waits for another window.</summary>
        public void Empty()
        {
            Interlocked.Add(ref _commands, 2);
            Interlocked.Increment(ref _emptyCalls);
        }

        public void Conflict()
        {
            Interlocked.Add(ref _commands, 2);
            Interlocked.Increment(ref _conflicts);
        }

        public List<double> LatenciesBetween(long from, long to)
        {
            lock (_lock)
            {
                return [.. _lifecycles.Where(l => l.End >= from && l.End < to).Select(l => l.Milliseconds).Order()];
            }
        }
    }

    private readonly record struct Sample(long At, long Lifecycles, long Commands, long Commits, long Events, TimeSpan Cpu)
    {
        public static Sample Take(Counters counters, long commits, long events) => new(
            Stopwatch.GetTimestamp(),
            counters.Lifecycles,
            counters.Commands,
            commits,
            events,
            Process.GetCurrentProcess().TotalProcessorTime);
    }

    /// <summary>What happened between two samples.</summary>
    private sealed record Measured(double Seconds, long Lifecycles, long Commands, long Commits, long Events, double CpuSeconds)
    {
        public static Measured Between(Sample before, Sample after) => new(
            Stopwatch.GetElapsedTime(before.At, after.At).TotalSeconds,
            after.Lifecycles - before.Lifecycles,
            after.Commands - before.Commands,
            after.Commits - before.Commits,
            after.Events - before.Events,
            (after.Cpu - before.Cpu).TotalSeconds);
    }
}
