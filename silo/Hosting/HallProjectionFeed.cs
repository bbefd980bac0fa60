using HallMonitor.Grains;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HallMonitor.Silo;

/// <summary>
/// Activates every configured hall at start-up and streams each hall's committed journal records, in
/// sequence order, into its projections: the hall grain (snapshot, numbering, dispatch) and the report
/// grain (ticket facts). Runs beside the grains, never inside a grain's turn.
/// </summary>
/// <remarks>
/// The hall projection gets every commit at once: the live pages and dispatch follow it. The report projection
/// gathers for <see cref="ReportGathering"/> before each delivery, so a ticket's issue, call, start and completion
/// usually become one write of its fact instead of four, and the facts take a small share of the store's single
/// writer. Reports never show the delay: every report first catches up from the journal to its durable end.
/// </remarks>
public sealed partial class HallProjectionFeed(
    HallCatalog catalog,
    HallJournals journals,
    IGrainFactory grains,
    ILogger<HallProjectionFeed> logger) : BackgroundService
{
    /// <summary>How long the report projection gathers committed records before it writes their facts.</summary>
    public static readonly TimeSpan ReportGathering = TimeSpan.FromSeconds(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(catalog.Halls.SelectMany(hall => new[]
        {
            FeedAsync(hall.Id, "hall", grains.GetHall(hall.Id).EnsureActiveAsync, grains.GetHall(hall.Id).ApplyCommittedAsync, TimeSpan.Zero, stoppingToken),
            FeedAsync(hall.Id, "reports", () => Task.CompletedTask, grains.GetGrain<IReportGrain>(hall.Id).ApplyCommittedAsync, ReportGathering, stoppingToken),
        }));

    private async Task FeedAsync(
        string hallId,
        string projection,
        Func<Task> activate,
        Func<IReadOnlyList<JournalRecord>, Task> deliver,
        TimeSpan gathering,
        CancellationToken stoppingToken)
    {
        // Subscribe first: what commits before the projection activates is read by its catch-up, what commits
        // after arrives here, and the overlap is skipped by sequence number.
        using var subscription = journals.Get(hallId).Subscribe();
        try
        {
            await activate();
            const int MaxDelivery = 10_000;
            var pending = new List<JournalRecord>();
            while (await subscription.Reader.WaitToReadAsync(stoppingToken))
            {
                if (gathering > TimeSpan.Zero && pending.Count < MaxDelivery)
                {
                    // Wall-clock batching of writes, not domain time, so no TimeProvider. A projection that is
                    // behind (the last delivery was full) does not wait.
                    await Task.Delay(gathering, stoppingToken);
                }

                pending.Clear();
                while (pending.Count < MaxDelivery && subscription.Reader.TryRead(out var records))
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

/// <summary>
/// On a graceful stop (SIGTERM, a rolling update), ends the live feed's waiting polls at once, before Orleans starts
/// handing the halls over: it deactivates a grain only when its running requests are done.
/// </summary>
public sealed class FollowerRelease(HallJournals journals, IHostApplicationLifetime lifetime) : IHostedService
{
    /// <summary>How long a poll may wait at a stopping silo: short, so a hall still active here is not polled hot.</summary>
    public static readonly TimeSpan StoppingWait = TimeSpan.FromMilliseconds(100);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(() => journals.ReleaseFollowers(StoppingWait));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
