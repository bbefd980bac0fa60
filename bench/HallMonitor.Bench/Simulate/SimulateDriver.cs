using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using HallMonitor.Grains;
using HallMonitor.Silo;
using HallMonitor.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace HallMonitor.Bench.Simulate;

/// <summary>
/// The product's hall-day simulator (<see cref="SimulatedDay"/>) as a load driver against any running server: it
/// reads the halls from the server's API, plays their day on its own clock, <c>--speed</c> times faster than real
/// time, and counts every answer. Against a server on real time a day at ×60 compresses arrivals and service times
/// alike by 60, so the server sees a whole day's traffic in 8½ minutes.
/// </summary>
public static class SimulateDriver
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(IConfiguration options)
    {
        if (options["url"] is not { } url)
        {
            Console.Error.WriteLine("simulate: --url http://host:port is required (a running HallMonitor server)");
            return 2;
        }

        var speed = options.GetValue("speed", 60.0);
        var seed = options.GetValue("seed", 1);
        var every = TimeSpan.FromSeconds(options.GetValue("progress-every", 10.0));
        var only = options["halls"]?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new Uri(url),
            Timeout = TimeSpan.FromSeconds(options.GetValue("timeout", 30.0)),
        };
        if (options["token"] is { } token)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        Console.WriteLine(Machine.Describe());
        var halls = await ReadHallsAsync(http, only, CancellationToken.None);
        var first = halls[0];
        var from = TodayAt(first, TimeOnly.Parse(options["from"] ?? "08:30", Invariant));
        DateTimeOffset? until = options["to"] is { } to ? TodayAt(first, TimeOnly.Parse(to, Invariant)) : null;
        var clock = new ScaledTimeProvider(from, speed);
        Console.WriteLine(
            $"simulating {halls.Count} hall(s) ({halls.Sum(h => h.Windows.Count):N0} windows) of {url} ×{speed.ToString(Invariant)} from {from:HH:mm} "
            + $"({first.TimeZone.Id}) {(until is { } u ? $"to {u:HH:mm}" : "until every window has closed")}, seed {seed}; "
            + "the driver's clock sets arrivals and service times, the server stamps events by its own");

        using var stop = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var recorder = new LoadRecorder();
        var day = Day(http, halls, clock, seed, recorder);
        var end = until ?? TodayAt(first, new TimeOnly(17, 0));
        using var progress = new Progress(recorder, day, () => first.LocalTime(clock.GetUtcNow()) is var now ? (now, (now - from) / (end - from)) : default, every);
        var watch = Stopwatch.StartNew();
        var outcome = "every window closed for the day";
        try
        {
            if (!await day.RunAsync(until, stepped: null, stop.Token))
            {
                outcome = $"reached {until:HH:mm}";
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            outcome = $"interrupted at {first.LocalTime(clock.GetUtcNow()):HH:mm}";
        }

        progress.Dispose();
        Console.WriteLine();
        Console.WriteLine($"{outcome} after {watch.Elapsed.TotalSeconds:0.0} s real, {day.Steps:N0} steps; {Machine.Describe()}");
        PrintSummary(recorder.Snapshot(halls.Select(h => h.Id)));
        return 0;

        void Stop(PosixSignalContext context)
        {
            // Ctrl+C or SIGTERM: stop the day and print what it achieved so far.
            context.Cancel = true;
            stop.Cancel();
        }
    }

    /// <summary>The halls of the server (or only those named), their configuration read from <c>GET /api/halls/{hall}</c>.</summary>
    public static async Task<IReadOnlyList<Hall>> ReadHallsAsync(HttpClient http, IReadOnlyCollection<string>? only, CancellationToken cancellationToken)
    {
        var ids = only is { Count: > 0 }
            ? only
            : [.. (await http.GetFromJsonAsync<List<HallEndpoints.HallSummary>>("/api/halls", HallMonitorJson.Options, cancellationToken))!.Select(h => h.Id)];
        var halls = new List<Hall>();
        foreach (var id in ids)
        {
            var definition = await http.GetFromJsonAsync<HallDefinition>($"/api/halls/{Uri.EscapeDataString(id)}", HallMonitorJson.Options, cancellationToken);

            // The simulator never computes a deadline, so the hall's working-day calendar does not matter here.
            halls.Add(new Hall(definition!, WorkingCalendar.MondayToFriday));
        }

        return halls.Count > 0 ? halls : throw new InvalidOperationException("The server has no halls to simulate.");
    }

    /// <summary>The simulated day of <paramref name="halls"/> on <paramref name="clock"/>, every call counted by <paramref name="recorder"/>.</summary>
    public static SimulatedDay Day(HttpClient http, IReadOnlyList<Hall> halls, TimeProvider clock, int seed, LoadRecorder recorder) =>
        new(halls, hall => new SimulatedApi(http, hall.Id, NullLogger.Instance, recorder.Record), clock, seed);

    /// <summary>Today (the hall's local day, by the real clock) at <paramref name="time"/> in the hall's time zone.</summary>
    public static DateTimeOffset TodayAt(Hall hall, TimeOnly time)
    {
        var local = hall.ServiceDay(DateTimeOffset.UtcNow).ToDateTime(time, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, hall.TimeZone.GetUtcOffset(local));
    }

    private static void PrintSummary((IReadOnlyList<(string Hall, HallTally Tally)> Halls, HallTally Total) summary)
    {
        Console.WriteLine();
        Console.WriteLine($"{"hall",-14} {"tickets",8} {"called",8} {"served",8} {"no-shows",8} {"transfers",9} {"recalls",8} {"ratings",8} {"requests",9} {"errors",7} {"p50 ms",7} {"p90 ms",7} {"p99 ms",7} {"max ms",8}");
        foreach (var (hall, tally) in summary.Halls)
        {
            Console.WriteLine(Row(hall, tally));
        }

        Console.WriteLine(Row("total", summary.Total));
        Console.WriteLine();
        Console.WriteLine("requests by status: " + string.Join(" · ", summary.Total.ByStatus().Select(s => $"{HallTally.StatusName(s.Status)} {s.Count:N0}")));
        var refusals = summary.Total.Refusals().ToList();
        Console.WriteLine(refusals.Count == 0
            ? "refusals: none"
            : "refusals (action, status): " + string.Join(" · ", refusals.Select(r => $"{r.Action} {HallTally.StatusName(r.Status)} ×{r.Count:N0}")));
    }

    private static string Row(string hall, HallTally tally)
    {
        var o = tally.Outcomes();
        List<double> sorted = [.. tally.Milliseconds];
        sorted.Sort();
        return $"{hall,-14} {o.Issued,8:N0} {o.Called,8:N0} {o.Served,8:N0} {o.NoShows,8:N0} {o.Transfers,9:N0} {o.Recalled,8:N0} {o.Ratings,8:N0} {tally.Requests,9:N0} {tally.Errors,7:N0} "
            + $"{LoadRecorder.Percentile(sorted, 0.5),7:0.0} {LoadRecorder.Percentile(sorted, 0.9),7:0.0} {LoadRecorder.Percentile(sorted, 0.99),7:0.0} {(sorted.Count > 0 ? sorted[^1] : double.NaN),8:0.0}";
    }

    /// <summary>
    /// The progress line: simulated time and share of the day, tickets, requests/s, errors, p50/p99 of the last
    /// interval's calls, and the longest simulated span a step covered (20 s while the driver keeps up). Redrawn in
    /// place every second on a terminal; a line every <c>--progress-every</c> seconds otherwise.
    /// </summary>
    private sealed class Progress : IDisposable
    {
        private readonly LoadRecorder _recorder;
        private readonly SimulatedDay _day;
        private readonly Func<(DateTimeOffset Now, double Share)> _position;
        private readonly bool _terminal = !Console.IsOutputRedirected;
        private readonly Timer _timer;
        private readonly Stopwatch _since = Stopwatch.StartNew();
        private long _lastRequests;
        private int _disposed;

        public Progress(LoadRecorder recorder, SimulatedDay day, Func<(DateTimeOffset, double)> position, TimeSpan every)
        {
            _recorder = recorder;
            _day = day;
            _position = position;
            var period = _terminal ? TimeSpan.FromSeconds(1) : every;
            _timer = new Timer(_ => Draw(), null, period, period);
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _timer.Dispose();
                Draw();
            }
        }

        private void Draw()
        {
            lock (_timer)
            {
                var (total, requests, errors, recent) = _recorder.TakeProgress();
                recent.Sort();
                var seconds = _since.Elapsed.TotalSeconds;
                _since.Restart();
                var rate = seconds > 0 ? (requests - _lastRequests) / seconds : 0;
                _lastRequests = requests;
                var (now, share) = _position();
                var bar = new string('#', (int)(Math.Clamp(share, 0, 1) * 20)).PadRight(20, '.');
                var latency = recent.Count == 0
                    ? "no calls answered"
                    : string.Create(Invariant, $"p50 {LoadRecorder.Percentile(recent, 0.5):0.0} ms p99 {LoadRecorder.Percentile(recent, 0.99):0.0} ms");
                var line = string.Create(
                    Invariant,
                    $"{now:HH:mm} [{bar}] {Math.Clamp(share, 0, 1) * 100,3:0}%  issued {total.Issued:N0} called {total.Called:N0} completed {total.Served:N0}  {rate,6:N0} req/s  errors {errors:N0}  "
                    + $"{latency}  step {_day.TakeLongestSpan().TotalSeconds:0} s");
                if (_terminal)
                {
                    Console.Write("\r" + line.PadRight(Math.Max(line.Length, SafeWidth() - 1)));
                }
                else
                {
                    Console.WriteLine(line);
                }
            }
        }

        private static int SafeWidth()
        {
            try
            {
                return Console.WindowWidth;
            }
            catch (IOException)
            {
                return 0;
            }
        }
    }
}
