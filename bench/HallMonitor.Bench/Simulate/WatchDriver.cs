using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using HallMonitor.Grains;
using HallMonitor.Web;
using Microsoft.Extensions.Configuration;

namespace HallMonitor.Bench.Simulate;

/// <summary>
/// Push latency as a wall display sees it: SignalR clients (the JSON hub protocol over raw WebSockets, cheaper than
/// the server they watch) join some halls of a running server and time every <c>event</c> from the moment the hall
/// stamped it (its <c>at</c>, turned back into real time through <c>GET /api/simulation</c> when the server
/// simulates) to the moment its frame arrived. That spans the grain's journal append, the publisher following the
/// journal, serialization, SignalR's send and the loopback socket; not the HTTP request before the grain.
/// </summary>
public static class WatchDriver
{
    private const char RecordSeparator = '\u001e';
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(IConfiguration options)
    {
        if (options["url"] is not { } url)
        {
            Console.Error.WriteLine("watch: --url http://host:port is required (a running HallMonitor server)");
            return 2;
        }

        var seconds = options.GetValue("seconds", 0.0);
        var clientsPerHall = options.GetValue("clients", 1);
        var every = TimeSpan.FromSeconds(options.GetValue("progress-every", 10.0));
        var token = options["token"];
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        var halls = options["halls"]?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            ?? [.. (await http.GetFromJsonAsync<List<HallEndpoints.HallSummary>>("/api/halls", HallMonitorJson.Options))!.Take(options.GetValue("hall-count", 4)).Select(h => h.Id)];
        var clock = (await http.GetFromJsonAsync<SimulationHostingExtensions.SimulationStatus>("/api/simulation", HallMonitorJson.Options))!;
        Console.WriteLine(Machine.Describe());
        Console.WriteLine(clock.Speed is { } speed
            ? $"watching {string.Join(",", halls)} ({clientsPerHall} client(s) each) on {url}: the server simulates ×{speed.ToString(Invariant)}, its instant {clock.Start:O} was real {clock.StartedAt:O}"
            : $"watching {string.Join(",", halls)} ({clientsPerHall} client(s) each) on {url}: the server runs on real time");

        using var stop = seconds > 0 ? new CancellationTokenSource(TimeSpan.FromSeconds(seconds)) : new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var tally = new PushTally();
        var hub = new UriBuilder(new Uri(http.BaseAddress!, "/hubs/hall")) { Scheme = url.StartsWith("https", StringComparison.Ordinal) ? "wss" : "ws" };
        if (token is not null)
        {
            hub.Query = "access_token=" + Uri.EscapeDataString(token);
        }

        var watchers = halls.SelectMany(hall => Enumerable.Range(0, clientsPerHall).Select(_ => WatchAsync(hub.Uri, hall, clock, tally, stop.Token))).ToList();
        var since = Stopwatch.StartNew();
        using (new Timer(_ => Console.WriteLine(tally.TakeProgress(since)), null, every, every))
        {
            await Task.WhenAll(watchers);
        }

        Console.WriteLine($"stopped; {Machine.Describe()}");
        Console.WriteLine(tally.Summary());
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    /// <summary>One client: connects, joins the hall, times every event until stopped; a lost connection is counted and retried.</summary>
    private static async Task WatchAsync(Uri hub, string hall, SimulationHostingExtensions.SimulationStatus clock, PushTally tally, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            using var socket = new ClientWebSocket();
            try
            {
                await socket.ConnectAsync(hub, stop);
                await SendAsync(socket, "{\"protocol\":\"json\",\"version\":1}", stop);
                await SendAsync(socket, JsonSerializer.Serialize(new { type = 1, invocationId = "join", target = "JoinHall", arguments = new[] { hall } }), stop);
                using var connection = CancellationTokenSource.CreateLinkedTokenSource(stop);
                var pings = PingAsync(socket, connection.Token);
                try
                {
                    await ReceiveAsync(socket, clock, tally, stop);
                }
                finally
                {
                    await connection.CancelAsync();
                    await pings;
                }
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
            }

            if (!stop.IsCancellationRequested)
            {
                tally.Disconnected();
                await Task.Delay(TimeSpan.FromSeconds(1), stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>The server drops a client it has not heard from for 30 s (SignalR's default); a ping every 10 s.</summary>
    private static async Task PingAsync(ClientWebSocket socket, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
        while (await timer.WaitForNextTickAsync(stop).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default))
        {
            try
            {
                await SendAsync(socket, "{\"type\":6}", stop);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    private static async Task ReceiveAsync(ClientWebSocket socket, SimulationHostingExtensions.SimulationStatus clock, PushTally tally, CancellationToken stop)
    {
        var buffer = new byte[256 * 1024];
        var text = new StringBuilder();
        long lastSeq = -1;
        while (socket.State == WebSocketState.Open)
        {
            var received = await socket.ReceiveAsync(buffer, stop);
            var arrived = DateTimeOffset.UtcNow;
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, received.Count));
            if (!received.EndOfMessage)
            {
                continue;
            }

            var content = text.ToString();
            var end = content.LastIndexOf(RecordSeparator);
            if (end < 0)
            {
                continue;
            }

            text.Remove(0, end + 1);
            foreach (var record in content[..end].Split(RecordSeparator))
            {
                using var document = JsonDocument.Parse(record);
                var message = document.RootElement;
                if (!message.TryGetProperty("type", out var type) || type.GetInt32() != 1 || message.GetProperty("target").GetString() != "event")
                {
                    continue;
                }

                var pushed = message.GetProperty("arguments")[0];
                var seq = pushed.GetProperty("seq").GetInt64();
                var at = clock.RealTime(pushed.GetProperty("at").GetDateTimeOffset());
                tally.Add((arrived - at).TotalMilliseconds, gap: lastSeq >= 0 && seq != lastSeq + 1);
                lastSeq = seq;
            }
        }
    }

    private static Task SendAsync(ClientWebSocket socket, string json, CancellationToken stop) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, endOfMessage: true, stop);

    /// <summary>Latencies of every event received by every client, and the gaps and lost connections.</summary>
    private sealed class PushTally
    {
        private readonly Lock _gate = new();
        private readonly List<double> _all = [];
        private List<double> _recent = [];
        private long _gaps;
        private long _disconnects;

        public void Add(double milliseconds, bool gap)
        {
            lock (_gate)
            {
                _all.Add(milliseconds);
                _recent.Add(milliseconds);
                _gaps += gap ? 1 : 0;
            }
        }

        public void Disconnected() => Interlocked.Increment(ref _disconnects);

        public string TakeProgress(Stopwatch since)
        {
            List<double> recent;
            long total;
            lock (_gate)
            {
                recent = _recent;
                _recent = [];
                total = _all.Count;
            }

            var seconds = since.Elapsed.TotalSeconds;
            since.Restart();
            recent.Sort();
            return string.Create(Invariant, $"{DateTimeOffset.UtcNow:HH:mm:ss} events {total:N0} ({recent.Count / seconds:N0}/s)  {Percentiles(recent)}  gaps {_gaps}  lost connections {Interlocked.Read(ref _disconnects)}");
        }

        public string Summary()
        {
            lock (_gate)
            {
                List<double> sorted = [.. _all];
                sorted.Sort();
                return string.Create(Invariant, $"push latency over {sorted.Count:N0} events: {Percentiles(sorted)}; gaps in seq {_gaps}; lost connections {Interlocked.Read(ref _disconnects)}");
            }
        }

        private static string Percentiles(List<double> sorted) => sorted.Count == 0
            ? "no events"
            : string.Create(Invariant, $"p50 {LoadRecorder.Percentile(sorted, 0.5):0.0} ms p90 {LoadRecorder.Percentile(sorted, 0.9):0.0} ms p99 {LoadRecorder.Percentile(sorted, 0.99):0.0} ms max {sorted[^1]:0.0} ms");
    }
}
