using HallMonitor.Grains;
using Microsoft.AspNetCore.SignalR;

namespace HallMonitor.Web;

/// <summary>
/// The live hall (<c>/hubs/hall</c>). Joining answers with the snapshot; from then on every journal event
/// of the hall arrives as <c>event</c>, in sequence order, and alerts as <c>alert</c>: everything to the
/// hall's supervisors and wall screens, and to a clerk console what concerns its window and the queues it
/// serves. Each join is decided by <see cref="AccessRules"/> as the HTTP API's calls are: a connection joins only
/// the groups of halls (and windows) its token may watch, so it receives nothing from the others.
/// </summary>
public sealed class HallHub(HallCatalog catalog, IGrainFactory grains, WebMetrics metrics, LiveConnections connections) : Hub
{
    public override Task OnConnectedAsync()
    {
        metrics.Connected();
        connections.Add(Context);
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        metrics.Disconnected();
        connections.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>Wall screens and supervisors: every event and every alert of the hall.</summary>
    public async Task<HallSnapshot> JoinHall(string hallId)
    {
        var hall = Hall(hallId);
        Demand(Permission.WatchHall, hall.Id, window: null);

        // Join before reading the snapshot: an event committed meanwhile arrives twice (the client drops what
        // the snapshot already holds), never not at all.
        await Groups.AddToGroupAsync(Context.ConnectionId, LiveGroups.Events(hall.Id));
        await Groups.AddToGroupAsync(Context.ConnectionId, LiveGroups.Alerts(hall.Id));
        return await grains.GetHall(hall.Id).GetSnapshotAsync();
    }

    /// <summary>A clerk console: every event of the hall, and the alerts of its window and of the queues it serves.</summary>
    public async Task<HallSnapshot> JoinWindow(string hallId, string windowId)
    {
        var hall = Hall(hallId);
        if (!hall.TryGetWindow(windowId, out var window))
        {
            throw new HubException($"Hall '{hall.Id}' has no window '{Quoted(windowId)}'.");
        }

        Demand(Permission.WatchWindow, hall.Id, window.Id);

        await Groups.AddToGroupAsync(Context.ConnectionId, LiveGroups.Events(hall.Id));
        await Groups.AddToGroupAsync(Context.ConnectionId, LiveGroups.Window(hall.Id, window.Id));
        return await grains.GetHall(hall.Id).GetSnapshotAsync();
    }

    public async Task LeaveHall(string hallId)
    {
        var hall = Hall(hallId);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, LiveGroups.Events(hall.Id));
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, LiveGroups.Alerts(hall.Id));
        foreach (var window in hall.Windows)
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, LiveGroups.Window(hall.Id, window.Id));
        }
    }

    /// <summary>Refuses the call (a HubException the client sees) unless the connection's token allows it.</summary>
    private void Demand(Permission permission, string hallId, string? window)
    {
        if (catalog.Tokens is null)
        {
            return;
        }

        var refusal = Caller.From(Context.User) is { } caller
            ? AccessRules.Refusal(caller, permission, hallId, window)
            : "This hall system needs a token.";
        if (refusal is not null)
        {
            throw new HubException(refusal);
        }
    }

    private Hall Hall(string hallId) =>
        catalog.TryGetHall(hallId, out var hall) ? hall : throw new HubException($"There is no hall '{Quoted(hallId)}'.");

    /// <summary>An unknown id as a refusal repeats it: at most 64 characters of it.</summary>
    private static string Quoted(string value) => value.Length <= 64 ? value : $"{value[..64]}…";
}

/// <summary>The SignalR groups of a hall.</summary>
public static class LiveGroups
{
    public static string Events(string hallId) => $"events:{hallId}";

    public static string Alerts(string hallId) => $"alerts:{hallId}";

    public static string Window(string hallId, string windowId) => $"window:{hallId}:{windowId}";
}
