using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Threading.Channels;
using HallMonitor.Grains;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace HallMonitor.Web;

/// <summary>
/// Bench only (<c>HallMonitor:Bench:RawPush=true</c>, off by default): the baseline of the live push. Plain
/// WebSockets at <c>/bench/raw/{hall}</c> get the same bytes a SignalR JSON client of the hall gets for every
/// journal event — the hub's own JSON protocol writes them once per event — from the same publisher, without
/// SignalR's connections, groups and hub protocol handling. Nothing can be sent to it and it checks no token.
/// </summary>
public static class RawPush
{
    public const string EnabledKey = "HallMonitor:Bench:RawPush";

    public static IHostApplicationBuilder AddRawPushForBench(this IHostApplicationBuilder builder)
    {
        if (builder.Configuration.GetValue<bool>(EnabledKey))
        {
            builder.Services.AddSingleton<RawPushSockets>();
        }

        return builder;
    }

    public static WebApplication MapRawPushForBench(this WebApplication app)
    {
        if (app.Services.GetService<RawPushSockets>() is not { } sockets)
        {
            return app;
        }

        var catalog = app.Services.GetRequiredService<HallCatalog>();
        app.Logger.LogWarning("Bench only: {Key} is on, /bench/raw/{{hall}} pushes every hall's events to anyone", EnabledKey);
        var pipeline = ((IEndpointRouteBuilder)app).CreateApplicationBuilder().UseWebSockets();
        pipeline.Run(async context =>
        {
            var hallId = (string?)context.Request.RouteValues["hall"];
            if (!context.WebSockets.IsWebSocketRequest || hallId is null || !catalog.TryGetHall(hallId, out var hall))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await sockets.ServeAsync(hall.Id, socket, context.RequestAborted);
        });
        app.Map("/bench/raw/{hall}", pipeline.Build());
        return app;
    }
}

/// <summary>The bench's raw sockets per hall; each has its own send loop, as a SignalR connection has.</summary>
public sealed class RawPushSockets(IEnumerable<IHubProtocol> protocols)
{
    private readonly IHubProtocol _json = protocols.Single(p => p.Name == "json");
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Channel<ReadOnlyMemory<byte>>, bool>> _halls = new();

    /// <summary>Writes the invocation as the hub's JSON protocol frames it, once, to the queue of every socket of the hall.</summary>
    public void Broadcast(string hallId, string target, object argument)
    {
        if (!_halls.TryGetValue(hallId, out var sockets) || sockets.IsEmpty)
        {
            return;
        }

        var bytes = _json.GetMessageBytes(new InvocationMessage(target, [argument]));
        foreach (var (queue, _) in sockets)
        {
            queue.Writer.TryWrite(bytes);
        }
    }

    public async Task ServeAsync(string hallId, WebSocket socket, CancellationToken aborted)
    {
        var queue = Channel.CreateUnbounded<ReadOnlyMemory<byte>>(new UnboundedChannelOptions { SingleReader = true });
        var sockets = _halls.GetOrAdd(hallId, _ => new());
        sockets[queue] = true;
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var receiving = DrainAsync(socket, ended);
        try
        {
            while (await queue.Reader.WaitToReadAsync(ended.Token))
            {
                while (queue.Reader.TryRead(out var bytes))
                {
                    await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, ended.Token);
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
            // The client went away.
        }
        finally
        {
            sockets.TryRemove(queue, out _);
        }

        await receiving;
    }

    /// <summary>Reads (and drops) what the client sends, until it closes.</summary>
    private static async Task DrainAsync(WebSocket socket, CancellationTokenSource ended)
    {
        var buffer = new byte[1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                if ((await socket.ReceiveAsync(buffer, ended.Token)).MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
            // Ended under us.
        }
        finally
        {
            await ended.CancelAsync();
        }
    }
}
