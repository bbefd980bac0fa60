using System.Net;
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
        long calls = 0, refused = 0;
        var day = new SimulatedDay(catalog.Halls, hall => new SimulatedApi(http, hall.Id, logger, Count), clock, options.Value.SimulationSeed);
        var hour = -1;
        try
        {
            await day.RunAsync(until: null, now =>
            {
                // Once a simulated hour: how far the day got and whether the simulator keeps up with its clock.
                var local = catalog.Halls[0].LocalTime(now);
                if (local.Hour != hour)
                {
                    hour = local.Hour;
                    LogHour(logger, local, day.Issued, Interlocked.Read(ref calls), Interlocked.Read(ref refused), day.Steps, day.TakeLongestSpan().TotalSeconds, SimulatedDay.Step.TotalSeconds);
                }
            }, stoppingToken);
            LogDayOver(logger, day.Issued);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        void Count(SimulatedCall call)
        {
            Interlocked.Increment(ref calls);
            if (call.Status is not { } status || (int)status >= 300)
            {
                Interlocked.Increment(ref refused);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Simulating a service day ×{Speed} from {Start:yyyy-MM-dd HH:mm zzz} (seed {Seed}): storage forced to memory (throw-away), command rate limit off, Orleans reminders stay on real time (one wake-up a simulated hour at ×60)")]
    private static partial void LogSimulating(ILogger logger, double speed, DateTimeOffset start, int seed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated service day over: {Issued} tickets issued; the halls stay as they are")]
    private static partial void LogDayOver(ILogger logger, int issued);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated {Local:HH:mm}: {Issued} tickets issued, {Calls} calls made ({Refused} refused or unanswered), {Steps} steps played, the longest step this hour covered {LongestSpan:0.0} s of simulated time (a step is {Step:0} s when the calls keep up)")]
    private static partial void LogHour(ILogger logger, DateTimeOffset local, int issued, long calls, long refused, long steps, double longestSpan, double step);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Simulator: {Method} {Path} got no answer: {Reason}")]
    internal static partial void LogNoAnswer(ILogger logger, string method, string path, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Simulator: {Method} {Path} answered {Status}")]
    internal static partial void LogRefused(ILogger logger, string method, string path, HttpStatusCode status);
}

