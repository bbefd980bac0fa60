using System.Text.Json;
using HallMonitor.Grains;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace HallMonitor.Web;

/// <summary>A journal event as pushed to browsers.</summary>
public sealed record HallEventMessage(string Hall, long Seq, DateTimeOffset At, string Type, string Actor, JsonElement Data);

/// <summary>
/// Pushes each hall's committed events to its SignalR groups, in sequence order, whichever silo holds the hall
/// and whichever replica or silo the command went through.
/// </summary>
/// <remarks>
/// Every web replica follows every hall with a long poll on the hall grain (<see cref="IHallGrain.FollowAsync"/>):
/// it asks for the events after the last one it pushed, and the hall answers as soon as one is committed. The
/// hall's journal is the only source, so the order is the journal's and nothing can be skipped: a lost answer is
/// asked for again, and after a silo dies the next poll reaches the hall's new activation, which reads what the
/// replica has not pushed from the store. A burst is one answer, not one message per event. Browsers still check
/// <c>seq</c>, for what SignalR itself may lose (a replica restart), and then take a fresh snapshot.
/// </remarks>
public sealed partial class HallEventPublisher(
    HallCatalog catalog,
    IGrainFactory grains,
    IHubContext<HallHub> hub,
    IOptions<HallMonitorOptions> options,
    ILogger<HallEventPublisher> logger,
    RawPushSockets? raw = null) : IHostedService, IDisposable
{
    /// <summary>
    /// How long a poll waits at the hall for the next commit: under Orleans' response timeout (5 s by default), and
    /// short, because a hall being deactivated (a rolling update) lets the polls waiting on it finish first.
    /// </summary>
    public static readonly TimeSpan PollWait = TimeSpan.FromSeconds(3);

    private readonly TimeSpan _pollWait = TimeSpan.FromTicks(Math.Min(PollWait.Ticks, options.Value.ResponseTimeout.Ticks / 2));

    /// <summary>How long start-up waits for the halls' positions before it lets the server take requests.</summary>
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(10);

    private const int MaxBatch = 2000;
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)];
    private readonly CancellationTokenSource _stopping = new();
    private Task _following = Task.CompletedTask;
    private int _disposed;

    /// <summary>
    /// Learns where every hall's journal ends before the server takes its first request, so that what a browser
    /// does from then on is pushed; a hall that cannot be reached yet is followed from wherever it is once it can.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var positions = await Task.WhenAll(catalog.Halls.Select(async hall =>
        {
            try
            {
                return (await grains.GetHall(hall.Id).FollowAsync(-1, 1, TimeSpan.Zero).WaitAsync(StartWait, cancellationToken)).DurableSeq;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogNoPosition(logger, exception, hall.Id);
                return -1;
            }
        }));
        _following = Task.WhenAll(catalog.Halls.Select((hall, i) => FollowAsync(hall, positions[i], _stopping.Token)));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _stopping.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // The host disposed the service before stopping it (a host whose start failed): nothing follows any more.
            return;
        }

        await _following.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping.Cancel();
            _stopping.Dispose();
        }
    }

    private async Task FollowAsync(Hall hall, long after, CancellationToken stoppingToken)
    {
        var grain = grains.GetHall(hall.Id);
        var events = hub.Clients.Group(LiveGroups.Events(hall.Id));
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var batch = await grain.FollowAsync(after, MaxBatch, after < 0 ? TimeSpan.Zero : _pollWait).WaitAsync(stoppingToken);
                if (failures > 0)
                {
                    LogFollowingAgain(logger, hall.Id, failures, after);
                    failures = 0;
                }

                if (after < 0)
                {
                    after = batch.DurableSeq;
                    continue;
                }

                foreach (var record in batch.Records)
                {
                    await PushAsync(hall, record, events, stoppingToken);
                    after = record.Seq;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // The hall is moving to another silo, or the cluster is out of reach: ask again, from the same place.
                if (failures++ == 0)
                {
                    LogFollowFailed(logger, exception, hall.Id, after);
                }

                await Task.Delay(RetryDelays[Math.Min(failures - 1, RetryDelays.Length - 1)], stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task PushAsync(Hall hall, JournalRecord record, IClientProxy events, CancellationToken stoppingToken)
    {
        try
        {
            var message = Message(record);
            await events.SendAsync("event", message, stoppingToken);
            raw?.Broadcast(hall.Id, "event", message);
            if (record.Event is IAlertEvent { Alert: var alert })
            {
                // One send to the hall's and the concerned windows' groups: the alert is serialized once, not per group.
                List<string> groups = [LiveGroups.Alerts(hall.Id), .. Concerned(hall, alert).Select(w => LiveGroups.Window(hall.Id, w))];
                await hub.Clients.Groups(groups).SendAsync("alert", alert, stoppingToken);
                raw?.Broadcast(hall.Id, "alert", alert);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Clients that miss an event see the gap in sequence numbers and fetch a fresh snapshot.
            LogPushFailed(logger, exception, hall.Id, record.Seq);
        }
    }

    /// <summary>
    /// The windows whose clerks should hear of an alert: its own window (for a case, the window that accepted it), or
    /// every window serving its matter; none for a follow-up of a bad review, which is the supervisors' business.
    /// </summary>
    private static IEnumerable<string> Concerned(Hall hall, AlertView alert) =>
        alert.Kind == AlertKind.FollowUpOverdue ? []
        : alert.Window is { } window ? [window]
        : hall.Windows.Where(w => hall.Serves(w.Id, alert.Matter)).Select(w => w.Id);

    private static HallEventMessage Message(JournalRecord record)
    {
        // Walls and kiosks follow the hall too: a case's lookup code is not theirs to see.
        using var data = JsonDocument.Parse(EventCodec.Shown(record));
        return new HallEventMessage(record.HallId, record.Seq, record.At, record.Type, record.Actor, data.RootElement.Clone());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hall {HallId} cannot be reached to learn where its journal ends; it is followed once it can")]
    private static partial void LogNoPosition(ILogger logger, Exception exception, string hallId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Following hall {HallId} after event {Seq} failed; asking again")]
    private static partial void LogFollowFailed(ILogger logger, Exception exception, string hallId, long seq);

    [LoggerMessage(Level = LogLevel.Information, Message = "Following hall {HallId} again after {Failures} failed polls, from event {Seq}")]
    private static partial void LogFollowingAgain(ILogger logger, string hallId, int failures, long seq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pushing event {Seq} of hall {HallId} failed")]
    private static partial void LogPushFailed(ILogger logger, Exception exception, string hallId, long seq);
}
