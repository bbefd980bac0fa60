using System.Diagnostics;
using System.Globalization;
using HallMonitor.Grains;
using HallMonitor.Silo;
using HallMonitor.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace HallMonitor.Bench.Journal;

/// <summary>
/// The journal stores alone, no grains: 1, 16, 256 concurrent appenders, each the only writer of its own hall
/// (as a hall's journal is), appending one <c>ticketIssued</c> event at a time and waiting for its commit, on
/// SQLite (<c>synchronous=FULL</c>) and PostgreSQL (<c>synchronous_commit=on</c>, fsync on) in the same run.
/// </summary>
public static class JournalStoresDriver
{
    public static async Task<int> RunAsync(IConfiguration options)
    {
        var duration = TimeSpan.FromSeconds(options.GetValue("seconds", 5.0));
        var warmup = TimeSpan.FromSeconds(options.GetValue("warmup", 1.0));
        int[] appenders = [.. (options["appenders"] ?? "1,16,256").Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture))];

        // A throw-away server on this machine's disk unless a database is given.
        await using var server = options["postgres"] is null ? await PostgresServer.StartAsync() : null;
        var connectionString = options["postgres"] ?? await server!.CreateDatabaseAsync("bench");
        var folder = Directory.CreateTempSubdirectory("hallmonitor-bench-journal-").FullName;
        try
        {
            await using var sqlite = new SqliteStore(Path.Combine(folder, "hallmonitor.db"), "full", NullLogger<SqliteStore>.Instance);
            await using var postgres = new PostgresStore(connectionString, NullLogger<PostgresStore>.Instance);
            (string Name, IJournalStore Journal, Func<long> Commits)[] stores =
            [
                ("SQLite FULL", new SqliteJournalStore(sqlite), () => sqlite.Commits),
                (server is null ? "PostgreSQL (given)" : "PostgreSQL (local, throw-away)", new PostgresJournalStore(postgres), () => postgres.Commits),
            ];

            Console.WriteLine(Machine.Describe());
            Console.WriteLine($"{duration.TotalSeconds:0.#} s measured after {warmup.TotalSeconds:0.#} s of warm-up per cell; each appender writes its own hall, one event per append");
            Console.WriteLine();
            Console.WriteLine("| store | appenders | appends/s | commits/s | appends/commit | commit p50 | commit p99 |");
            Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|");
            var cell = 0;
            foreach (var count in appenders)
            {
                foreach (var (name, journal, commits) in stores)
                {
                    var run = await MeasureAsync(journal, commits, count, $"cell{cell++}", warmup, duration);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {name} | {count} | {run.Appends / run.Seconds:N0} | {run.Commits / run.Seconds:N0} | {(double)run.Appends / Math.Max(1, run.Commits):N1} | {Percentile(run.Latencies, 0.50):N2} ms | {Percentile(run.Latencies, 0.99):N2} ms |"));
                }
            }

            Console.WriteLine();
            Console.WriteLine(Machine.Describe());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        return 0;
    }

    private static async Task<Measured> MeasureAsync(IJournalStore store, Func<long> commits, int count, string prefix, TimeSpan warmup, TimeSpan duration)
    {
        using var stop = new CancellationTokenSource();
        var at = DateTimeOffset.Now;
        var appenders = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            var journal = new HallJournal($"{prefix}-hall{i}", store);
            var appends = new List<(long End, double Milliseconds)>();
            for (var n = 1; !stop.IsCancellationRequested; n++)
            {
                var issued = new TicketIssued($"20261127-A{n:000000}", $"A{n:000000}", "BIZ-REG", TicketChannel.Kiosk, false, new DateOnly(2026, 11, 27));
                var started = Stopwatch.GetTimestamp();
                await journal.AppendAsync([issued], at, "kiosk");
                var ended = Stopwatch.GetTimestamp();
                appends.Add((ended, Stopwatch.GetElapsedTime(started, ended).TotalMilliseconds));
            }

            return appends;
        })).ToArray();

        await Task.Delay(warmup);
        var (from, commitsBefore) = (Stopwatch.GetTimestamp(), commits());
        await Task.Delay(duration);
        var (to, commitsAfter) = (Stopwatch.GetTimestamp(), commits());
        await stop.CancelAsync();
        var measured = (await Task.WhenAll(appenders)).SelectMany(a => a).Where(a => a.End >= from && a.End < to).Select(a => a.Milliseconds).Order().ToList();
        return new Measured(Stopwatch.GetElapsedTime(from, to).TotalSeconds, measured.Count, commitsAfter - commitsBefore, measured);
    }

    private static double Percentile(List<double> sorted, double share) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(share * sorted.Count))];

    private sealed record Measured(double Seconds, long Appends, long Commits, List<double> Latencies);
}
