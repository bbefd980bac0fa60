using System.Collections.Concurrent;
using HallMonitor.Grains;
using Microsoft.AspNetCore.SignalR;

namespace HallMonitor.Web;

/// <summary>
/// The hub connections that signed in with a token, so that a reload which withdraws or narrows a token also ends
/// the live connections made with it: they would otherwise keep receiving what the token may no longer see.
/// </summary>
public sealed class LiveConnections
{
    private readonly ConcurrentDictionary<string, (HubCallerContext Context, Caller Caller)> _signedIn = new();

    public void Add(HubCallerContext context)
    {
        if (Caller.From(context.User) is { } caller)
        {
            _signedIn[context.ConnectionId] = (context, caller);
        }
    }

    public void Remove(string connectionId) => _signedIn.TryRemove(connectionId, out _);

    /// <summary>Ends every connection whose token is no longer configured as it was; answers how many.</summary>
    public int EndWithdrawn(HallCatalog catalog)
    {
        var current = (catalog.Auth?.Tokens ?? []).Select(t => new Caller(t.Name ?? "", t.Role, t.Hall, t.Window)).ToHashSet();
        var ended = 0;
        foreach (var (id, (context, caller)) in _signedIn)
        {
            if (!current.Contains(caller) && _signedIn.TryRemove(id, out _))
            {
                context.Abort();
                ended++;
            }
        }

        return ended;
    }
}
