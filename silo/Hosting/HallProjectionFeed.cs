using HallMonitor.Grains;
using HallMonitor.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HallMonitor.Silo;

/// <summary>
/// Activates every configured hall at start-up and streams each hall's committed journal records, in
/// sequence order, into its projections: the hall grain (snapshot, numbering, dispatch) and the report
/// grain (ticket facts). Runs beside the grains, never inside a grain's turn.
/// </summary>
public sealed partial class HallProjectionFeed(
    HallCatalog catalog,
    HallJournals journals,
    IGrainFactory grains,
    ILogger<HallProjectionFeed> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(catalog.Halls.SelectMany(hall => new[]
        {
            FeedAsync(hall.Id, "hall", grains.GetHall(hall.Id).EnsureActiveAsync, grains.GetHall(hall.Id).ApplyCommittedAsync, stoppingToken),
            FeedAsync(hall.Id, "reports", () => Task.CompletedTask, grains.GetGrain<IReportGrain>(hall.Id).ApplyCommittedAsync, stoppingToken),
        }));

    private async Task FeedAsync(
        string hallId,
        string projection,
        Func<Task> activate,
        Func<IReadOnlyList<JournalRecord>, Task> deliver,
        CancellationToken stoppingToken)
    {
        // Subscribe first: what commits before the projection activates is read by its catch-up, what commits
        // after arrives here, and the overlap is skipped by sequence number.
        using var subscription = journals.Get(hallId).Subscribe();
        try
        {
            await activate();
            var pending = new List<JournalRecord>();
            while (await subscription.Reader.WaitToReadAsync(stoppingToken))
            {
                pending.Clear();
                while (pending.Count < 10_000 && subscription.Reader.TryRead(out var records))
                {
                    pending.AddRange(records);
                }

                try
                {
                    await deliver([.. pending]);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // The projection fills any gap from the journal on its next delivery or read.
                    LogFeedFailed(logger, exception, projection, hallId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feeding the {Projection} projection of hall {HallId} failed")]
    private static partial void LogFeedFailed(ILogger logger, Exception exception, string projection, string hallId);
}
