using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using HallMonitor.Grains;

namespace HallMonitor.Web;

/// <summary>
/// Plays a service day of every configured hall through the public HTTP API, on the simulated clock: windows open at
/// 08:30, take breaks and close at 17:00; visitors arrive with a morning and an afternoon peak, mostly for a few hot
/// matters, some with priority; some do not show up or are recalled, some are transferred, most are served in a
/// log-normal time around their matter's handle target and many rate the service; cases step on.
/// </summary>
public sealed partial class HallSimulator(
    HallCatalog catalog,
    ScaledTimeProvider clock,
    IOptions<HallMonitorOptions> options,
    IHostApplicationLifetime lifetime,
    SimulationClientFactory clients,
    ILogger<HallSimulator> logger) : BackgroundService
{
    /// <summary>How far the simulator moves per step, in simulated time, when its calls keep up.</summary>
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(20);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (catalog.Auth is not null)
        {
            throw new InvalidOperationException(
                "HallMonitor:Simulate needs a halls file without an 'auth' section: the simulator drives the API without tokens. Use the demo halls (web/halls.json) or remove 'auth'.");
        }

        LogSimulating(logger, clock.Speed, clock.Start, options.Value.SimulationSeed);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        using var http = clients();
        var random = new Random(options.Value.SimulationSeed);
        var halls = catalog.Halls.Select(hall => new SimulatedHall(hall, new SimulatedApi(http, hall.Id, logger), random)).ToList();
        try
        {
            var last = clock.GetUtcNow();
            while (true)
            {
                // Arrivals over the time that really passed: at high speeds the calls of a step take longer than the step.
                var now = clock.GetUtcNow();
                var elapsed = now - last;
                last = now;
                var open = false;
                foreach (var hall in halls)
                {
                    open |= await hall.StepAsync(now, elapsed, stoppingToken);
                }

                if (!open)
                {
                    LogDayOver(logger, halls.Sum(h => h.Issued));
                    return;
                }

                await Task.Delay(Step, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Simulating a service day ×{Speed} from {Start:yyyy-MM-dd HH:mm zzz} (seed {Seed}): storage forced to memory (throw-away), command rate limit off, Orleans reminders stay on real time (one wake-up a simulated hour at ×60)")]
    private static partial void LogSimulating(ILogger logger, double speed, DateTimeOffset start, int seed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated service day over: {Issued} tickets issued; the halls stay as they are")]
    private static partial void LogDayOver(ILogger logger, int issued);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Simulator: {Method} {Path} answered {Status}")]
    internal static partial void LogRefused(ILogger logger, string method, string path, HttpStatusCode status);
}

/// <summary>The calls the simulator makes, under <c>/api/halls/{hall}</c>; a refused call answers null.</summary>
internal sealed class SimulatedApi(HttpClient http, string hall, ILogger logger)
{
    public async Task<JsonElement?> PostAsync(string path, object? body, CancellationToken cancellationToken)
    {
        var uri = $"/api/halls/{Uri.EscapeDataString(hall)}/{path}";
        using var response = await http.PostAsJsonAsync(uri, body ?? new { }, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return default(JsonElement);
        }

        if (!response.IsSuccessStatusCode)
        {
            HallSimulator.LogRefused(logger, "POST", uri, response.StatusCode);
            return null;
        }

        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }
}
