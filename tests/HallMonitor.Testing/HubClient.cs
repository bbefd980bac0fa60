using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using HallMonitor.Grains;

namespace HallMonitor.Testing;

/// <summary>
/// A minimal SignalR client speaking the JSON hub protocol over a WebSocket (the .NET client package does
/// not restore here): handshake, invocations with completions, and server-to-client messages in arrival order.
/// </summary>
public sealed class HubClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly WebSocket _socket;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly Channel<HubMessage> _messages = Channel.CreateUnbounded<HubMessage>();
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _receiving;
    private int _nextId;

    private HubClient(WebSocket socket)
    {
        _socket = socket;
        _receiving = Task.Run(ReceiveAsync);
    }

    /// <summary>Connects to the hub over a real socket, e.g. <c>ws://127.0.0.1:5080/hubs/hall</c>.</summary>
    public static async Task<HubClient> ConnectAsync(Uri hub)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(hub, CancellationToken.None);
        return await HandshakeAsync(socket);
    }

    /// <summary>Speaks the hub protocol over a socket opened by <paramref name="connect"/> (a test server's, say).</summary>
    public static async Task<HubClient> ConnectAsync(Func<Task<WebSocket>> connect) => await HandshakeAsync(await connect());

    private static async Task<HubClient> HandshakeAsync(WebSocket socket)
    {
        await SendTextAsync(socket, "{\"protocol\":\"json\",\"version\":1}" + RecordSeparator);
        var client = new HubClient(socket);
        var handshake = await client._messages.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        return handshake.Target == "handshake" && handshake.Arguments.Length == 0
            ? client
            : throw new InvalidOperationException($"Handshake refused: {handshake.Target}");
    }

    public async Task<TResult> InvokeAsync<TResult>(string target, params object[] arguments)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var completion = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = completion;
        var invocation = JsonSerializer.Serialize(new { type = 1, invocationId = id, target, arguments }, HallMonitorJson.Options);
        await SendTextAsync(_socket, invocation + RecordSeparator);
        var result = await completion.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return result.Deserialize<TResult>(HallMonitorJson.Options)!;
    }

    /// <summary>The next message the server pushed, whatever its target.</summary>
    public async Task<HubMessage> NextAsync(TimeSpan? within = null) =>
        await _messages.Reader.ReadAsync().AsTask().WaitAsync(within ?? TimeSpan.FromSeconds(10));

    /// <summary>The next pushed message with <paramref name="target"/>, skipping others.</summary>
    public async Task<HubMessage> NextAsync(string target, TimeSpan? within = null)
    {
        using var limit = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var message = await _messages.Reader.ReadAsync(limit.Token);
            if (message.Target == target)
            {
                return message;
            }
        }
    }

    /// <summary>
    /// The pushed messages up to and including the first that <paramref name="last"/> accepts, in arrival order.
    /// Read up to a marker the server sends later on the same connection, they show what arrived before it.
    /// </summary>
    public async Task<List<HubMessage>> UntilAsync(Func<HubMessage, bool> last, TimeSpan? within = null)
    {
        using var limit = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(10));
        var read = new List<HubMessage>();
        while (true)
        {
            var message = await _messages.Reader.ReadAsync(limit.Token);
            read.Add(message);
            if (last(message))
            {
                return read;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        try
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        }
        catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException)
        {
            // The server ended the connection first: a real socket says so with WebSocketException, a test
            // server's socket with ObjectDisposedException.
        }

        await _receiving.ContinueWith(_ => { }, TaskScheduler.Default);
        _socket.Dispose();
        _closing.Dispose();
    }

    private static Task SendTextAsync(WebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        var text = new StringBuilder();
        var handshakeDone = false;
        while (!_closing.IsCancellationRequested && _socket.State == WebSocketState.Open)
        {
            WebSocketReceiveResult received;
            try
            {
                received = await _socket.ReceiveAsync(buffer, _closing.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
            {
                break;
            }

            if (received.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            var chunk = Encoding.UTF8.GetString(buffer, 0, received.Count);
            text.Append(chunk);

            // Only a chunk with a separator completes records; a long message arrives in many chunks without one.
            if (chunk.IndexOf(RecordSeparator, StringComparison.Ordinal) < 0)
            {
                continue;
            }

            var content = text.ToString();
            var end = content.LastIndexOf(RecordSeparator);
            text.Remove(0, end + 1);
            foreach (var record in content[..end].Split(RecordSeparator))
            {
                if (!handshakeDone)
                {
                    handshakeDone = true;
                    using var handshake = JsonDocument.Parse(record);
                    var error = handshake.RootElement.TryGetProperty("error", out var e) ? e.GetString() : null;
                    await _messages.Writer.WriteAsync(new HubMessage(error ?? "handshake", [], DateTimeOffset.UtcNow));
                    continue;
                }

                Dispatch(record);
            }
        }

        _messages.Writer.TryComplete();
    }

    private void Dispatch(string record)
    {
        var received = DateTimeOffset.UtcNow;
        using var document = JsonDocument.Parse(record);
        var message = document.RootElement.Clone();
        switch (message.GetProperty("type").GetInt32())
        {
            case 1:
                var arguments = message.GetProperty("arguments").EnumerateArray().ToArray();
                _messages.Writer.TryWrite(new HubMessage(message.GetProperty("target").GetString()!, arguments, received));
                break;
            case 3 when _pending.TryRemove(message.GetProperty("invocationId").GetString()!, out var completion):
                if (message.TryGetProperty("error", out var error))
                {
                    completion.TrySetException(new InvalidOperationException(error.GetString()));
                }
                else
                {
                    completion.TrySetResult(message.TryGetProperty("result", out var result) ? result : default);
                }

                break;
        }
    }
}

/// <summary>A message the server pushed: its target (<c>event</c>, <c>alert</c>), arguments, and when it arrived.</summary>
public sealed record HubMessage(string Target, JsonElement[] Arguments, DateTimeOffset ReceivedAt)
{
    public T Argument<T>(int index = 0) => Arguments[index].Deserialize<T>(HallMonitorJson.Options)!;
}
