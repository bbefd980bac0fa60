using HallMonitor.Grains;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HallMonitor.Silo;

/// <summary>
/// Verifies every hall's journal chain once the host has started and reports a broken one loudly: a critical log
/// line naming the hall and the first bad event, and <c>hallmonitor_journal_verified{hall}</c> at 0 (1 when intact).
/// </summary>
/// <remarks>
/// In the background, after start-up: hashing a year of events takes seconds, and neither readiness nor the first
/// requests wait for it. It reads the store directly, so a journal whose damage keeps its hall from activating is
/// reported all the same.
/// </remarks>
public sealed partial class JournalStartupVerification(
    HallCatalog catalog,
    HallJournals journals,
    HallMetrics metrics,
    IHostApplicationLifetime lifetime,
    ILogger<JournalStartupVerification> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        foreach (var hall in catalog.Halls)
        {
            try
            {
                var verification = await Task.Run(() => journals.Get(hall.Id).VerifyAsync(cancellationToken: stoppingToken), stoppingToken);
                metrics.JournalVerified(hall.Id, verification.Ok);
                if (verification.Ok)
                {
                    LogIntact(logger, hall.Id, verification.Events);
                }
                else
                {
                    LogBroken(logger, hall.Id, verification.FirstBadSeq ?? 0, verification.Problem ?? "");
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // The store may be away at start-up; the auditors' verify endpoint checks again on request.
                LogNotVerified(logger, exception, hall.Id);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Journal of hall {HallId} verified: {Events} events, chain intact")]
    private static partial void LogIntact(ILogger logger, string hallId, long events);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Journal of hall {HallId} is corrupt from event {FirstBadSeq}: {Problem} Restore it from a backup; GET /api/halls/{HallId}/journal/verify shows the same")]
    private static partial void LogBroken(ILogger logger, string hallId, long firstBadSeq, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Journal of hall {HallId} could not be verified at start-up")]
    private static partial void LogNotVerified(ILogger logger, Exception exception, string hallId);
}
