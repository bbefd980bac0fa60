using System.Text.Json;
using HallMonitor.Grains;
using Microsoft.AspNetCore.SignalR;

namespace HallMonitor.Web;

/// <summary>A journal event as pushed to browsers.</summary>
public sealed record HallEventMessage(string Hall, long Seq, DateTimeOffset At, string Type, string Actor, JsonElement Data);

/// <summary>
/// Pushes each hall's committed events to its SignalR groups, in sequence order. It reads the hall event
/// stream beside the grains, so a slow browser never slows a grain's turn.
/// </summary>
public sealed partial class HallEventPublisher(
    HallCatalog catalog,
    IHallEventStream stream,
    IHubContext<HallHub> hub,
    ILogger<HallEventPublisher> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Subscribed before the first await, hence before the server takes its first request.
        var subscriptions = catalog.Halls.Select(h => (Hall: h, Subscription: stream.Subscribe(h.Id))).ToList();
        return Task.WhenAll(subscriptions.Select(s => PublishAsync(s.Hall, s.Subscription, stoppingToken)));
    }

    private async Task PublishAsync(Hall hall, IHallEventSubscription subscription, CancellationToken stoppingToken)
    {
        using var _ = subscription;
        var events = hub.Clients.Group(LiveGroups.Events(hall.Id));
        var alerts = hub.Clients.Group(LiveGroups.Alerts(hall.Id));
        try
        {
            await foreach (var records in subscription.Reader.ReadAllAsync(stoppingToken))
            {
                foreach (var record in records)
                {
                    try
                    {
                        await events.SendAsync("event", Message(record), stoppingToken);
                        if (record.Event is IAlertEvent { Alert: var alert })
                        {
                            await alerts.SendAsync("alert", alert, stoppingToken);
                            var windows = Concerned(hall, alert).Select(w => LiveGroups.Window(hall.Id, w)).ToList();
                            await hub.Clients.Groups(windows).SendAsync("alert", alert, stoppingToken);
                        }
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException)
                    {
                        // Clients that miss an event see the gap in sequence numbers and fetch a fresh snapshot.
                        LogPushFailed(logger, exception, hall.Id, record.Seq);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The windows whose clerks should hear of an alert: its own window, or every window serving its matter.</summary>
    private static IEnumerable<string> Concerned(Hall hall, AlertView alert) =>
        alert.Window is { } window ? [window] : hall.Windows.Where(w => hall.Serves(w.Id, alert.Matter)).Select(w => w.Id);

    private static HallEventMessage Message(JournalRecord record)
    {
        using var data = JsonDocument.Parse(record.Data);
        return new HallEventMessage(record.HallId, record.Seq, record.At, record.Type, record.Actor, data.RootElement.Clone());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pushing event {Seq} of hall {HallId} failed")]
    private static partial void LogPushFailed(ILogger logger, Exception exception, string hallId, long seq);
}
