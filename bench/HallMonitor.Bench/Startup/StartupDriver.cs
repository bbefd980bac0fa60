using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using HallMonitor.Bench.Reports;
using HallMonitor.Bench.Silo;
using HallMonitor.Grains;
using HallMonitor.Silo;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace HallMonitor.Bench.Startup;

/// <summary>
/// How long the product takes to get ready on a journal of a million events: the Release build of <c>web</c> as a
/// real process (co-hosting the silo, SQLite <c>synchronous=FULL</c>), timed from process start to <c>/readyz</c> 200,
/// to the first snapshot answered, and to the background verification of the journal's chain. Three cases
/// alternate in each round: an empty journal (the baseline), the journal without any checkpoint (a crash before
/// the first one: the hall replays every event) and with the checkpoints a graceful stop leaves (the normal case).
/// </summary>
public static class StartupDriver
{
    private static readonly TimeSpan ReadyLimit = TimeSpan.FromMinutes(3);

    public static async Task<int> RunAsync(IConfiguration options)
    {
        var target = options.GetValue("events", 1_000_000);
        var rounds = options.GetValue("rounds", 3);
        var web = options["web"] ?? Path.Combine(RepositoryRoot(), "web", "bin", "Release", "net10.0", "HallMonitor.Web.dll");
        if (!File.Exists(web))
        {
            Console.Error.WriteLine($"{web} is missing: dotnet build -c Release web");
            return 2;
        }

        Console.WriteLine(Machine.Describe());
        var keep = options["folder"];
        var folder = keep ?? Directory.CreateTempSubdirectory("hallmonitor-startup-").FullName;
        Directory.CreateDirectory(folder);
        var full = Path.Combine(folder, "full");
        var empty = Path.Combine(folder, "empty");
        var halls = GeneratedHalls.ServiceHall(windows: 60, comprehensive: 12, sectors: 10, mattersPerSector: 6);
        var hallsFile = Path.Combine(folder, "halls.json");
        await File.WriteAllTextAsync(hallsFile, JsonSerializer.Serialize(halls, HallMonitorJson.Options));
        try
        {
            var database = Path.Combine(full, "hallmonitor.db");
            var events = File.Exists(database) ? CountEvents(database) : 0;
            if (events < target)
            {
                Directory.CreateDirectory(full);
                File.Delete(database);
                var written = Stopwatch.StartNew();
                events = await WriteJournalAsync(new Hall(halls.Halls[0]), database, target);
                Console.WriteLine($"journal: {YearOfJournal.Format(events)} events, written in {written.Elapsed.TotalSeconds:0.0} s (not the product)");
            }
            else
            {
                Console.WriteLine($"journal: {YearOfJournal.Format(events)} events, reused from {database}");
            }

            Console.WriteLine($"{web}; hall '{GeneratedHalls.HallId}': {halls.Halls[0].Windows.Count} windows, {halls.Halls[0].Matters.Count} matters");
            Console.WriteLine("times from process start; CPU = the server's user+system time until ready");
            for (var round = 1; round <= rounds; round++)
            {
                Directory.CreateDirectory(empty);
                await StartOnceAsync(web, hallsFile, empty, $"round {round}, empty journal");
                Directory.Delete(empty, recursive: true);

                var dropped = DropCheckpoints(database);
                await StartOnceAsync(web, hallsFile, full, $"round {round}, {YearOfJournal.Format(events)} events, no checkpoint ({dropped} dropped)");
                await StartOnceAsync(web, hallsFile, full, $"round {round}, {YearOfJournal.Format(events)} events, with checkpoints");
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (keep is null)
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        return 0;
    }

    /// <summary>A year of a busy district hall, as many tickets a day as it takes to reach <paramref name="target"/> events.</summary>
    private static async Task<long> WriteJournalAsync(Hall hall, string database, long target)
    {
        // About 4.4 events per ticket plus two per window and day (see YearOfJournal), over 261 working days.
        var ticketsPerDay = (int)Math.Ceiling(((target / 261.0) - (2 * hall.Windows.Count)) / 4.4);
        var store = new SqliteStore(database, "normal", NullLogger<SqliteStore>.Instance);
        var journal = new SqliteJournalStore(store);
        var today = hall.ServiceDay(DateTimeOffset.UtcNow);
        long events = 0;
        foreach (var day in new YearOfJournal(hall, ticketsPerDay, seed: 2026).Days(today.AddDays(-365), today.AddDays(-1)))
        {
            await journal.AppendAsync(day, store.Epoch, () => { });
            events += day.Count;
        }

        await store.DisposeAsync();
        Console.WriteLine($"  {ticketsPerDay} tickets per working day over the last year");
        return events;
    }

    private static long CountEvents(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM journal";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Deletes every grain checkpoint: the database as a crash before the first checkpoint leaves it.</summary>
    private static int DropCheckpoints(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM grain_state";
        return command.ExecuteNonQuery();
    }

    private static async Task StartOnceAsync(string web, string hallsFile, string data, string name)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(web)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            web, "--urls", url, $"--HallMonitor:DataDir={data}", $"--HallMonitor:HallsFile={hallsFile}",
            $"--HallMonitor:SiloPort={FreePort()}", $"--HallMonitor:GatewayPort={FreePort()}", "--Logging:LogLevel:Default=Warning",
        })
        {
            start.ArgumentList.Add(argument);
        }

        Console.WriteLine($"{name} — load average {LoadAverage()}");
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        var clock = Stopwatch.StartNew();
        using var server = Process.Start(start)!;
        var output = new List<string>();
        server.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.Add(e.Data); } } };
        server.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.Add(e.Data); } } };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            var listening = await UntilAsync(http, "/healthz", clock, server);
            var ready = await UntilAsync(http, "/readyz", clock, server);
            var cpu = CpuSeconds(server.Id);
            var snapshotAt = await UntilAsync(http, $"/api/halls/{GeneratedHalls.HallId}/snapshot", clock, server);
            var snapshot = JsonDocument.Parse(await http.GetStringAsync($"/api/halls/{GeneratedHalls.HallId}/snapshot")).RootElement;
            var verified = await UntilVerifiedAsync(http, clock, server);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  listening {listening:0.00} s, ready {ready:0.00} s (CPU {cpu:0.00} s), first snapshot {snapshotAt:0.00} s (seq {snapshot.GetProperty("seq").GetInt64():N0}), journal verified {verified:0.00} s"));
        }
        catch
        {
            lock (output)
            {
                Console.Error.WriteLine(string.Join('\n', output.TakeLast(40)));
            }

            throw;
        }
        finally
        {
            await StopAsync(server);
        }
    }

    /// <summary>Seconds from process start until <paramref name="path"/> answers 2xx, polled every 10 ms.</summary>
    private static async Task<double> UntilAsync(HttpClient http, string path, Stopwatch clock, Process server)
    {
        while (clock.Elapsed < ReadyLimit)
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"the server exited with {server.ExitCode}");
            }

            try
            {
                using var response = await http.GetAsync(path);
                if (response.IsSuccessStatusCode)
                {
                    return clock.Elapsed.TotalSeconds;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"{path} did not answer 2xx within {ReadyLimit}");
    }

    /// <summary>Seconds from process start until <c>/metrics</c> shows the background verification's verdict.</summary>
    private static async Task<double> UntilVerifiedAsync(HttpClient http, Stopwatch clock, Process server)
    {
        while (clock.Elapsed < ReadyLimit)
        {
            var metrics = await http.GetStringAsync("/metrics");
            if (metrics.Contains($"hallmonitor_journal_verified{{hall=\"{GeneratedHalls.HallId}\"}} 1", StringComparison.Ordinal))
            {
                return clock.Elapsed.TotalSeconds;
            }

            if (server.HasExited || metrics.Contains($"hallmonitor_journal_verified{{hall=\"{GeneratedHalls.HallId}\"}} 0", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("the journal did not verify");
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("the journal was not verified in time");
    }

    /// <summary>SIGTERM, as an orchestrator stops it: the silo deactivates its grains, which write their checkpoints.</summary>
    private static async Task StopAsync(Process server)
    {
        if (!server.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", server.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await server.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                server.Kill(entireProcessTree: true);
                Console.WriteLine("  (did not stop within 60 s; killed)");
            }
        }
    }

    private static double CpuSeconds(int pid)
    {
        var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        const double TicksPerSecond = 100;
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HallMonitor.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("run from the repository (HallMonitor.sln not found above the bench)");
    }
}
