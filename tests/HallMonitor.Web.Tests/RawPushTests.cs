using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using HallMonitor.Grains;
using Microsoft.AspNetCore.Hosting;

namespace HallMonitor.Web.Tests;

/// <summary>The push bench's raw WebSocket baseline: absent from the product, and when a bench asks for it, the same bytes.</summary>
public sealed class RawPushTests
{
    [Fact]
    public async Task RawBroadcast_IsNotServedUnlessTheBenchSwitchesItOn()
    {
        await using var api = new ApiFactory();

        var refused = await Assert.ThrowsAnyAsync<Exception>(() =>
            api.Server.CreateWebSocketClient().ConnectAsync(new Uri($"ws://localhost/bench/raw/{TestHalls.HallId}"), CancellationToken.None));

        Assert.Contains("404", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RawBroadcast_SwitchedOnForTheBench_CarriesTheFrameASignalRClientOfTheHallGets()
    {
        await using var api = new RawPushFactory();
        using var raw = await api.Server.CreateWebSocketClient().ConnectAsync(new Uri($"ws://localhost/bench/raw/{TestHalls.HallId}"), CancellationToken.None);
        await using var wall = await HubConnections.ConnectAsync(api);
        await wall.InvokeAsync<HallSnapshot>("JoinHall", TestHalls.HallId);

        await api.CreateClient().IssueAsync("BIZ-REG");
        var onWall = await wall.NextAsync("event");
        var frame = await ReceiveTextAsync(raw);

        Assert.EndsWith("\u001e", frame, StringComparison.Ordinal);
        using var invocation = JsonDocument.Parse(frame.TrimEnd('\u001e'));
        Assert.Equal(1, invocation.RootElement.GetProperty("type").GetInt32());
        Assert.Equal("event", invocation.RootElement.GetProperty("target").GetString());
        Assert.Equal(onWall.Arguments[0].GetRawText(), invocation.RootElement.GetProperty("arguments")[0].GetRawText());
        Assert.Equal("ticketIssued", onWall.Argument<HallEventMessage>().Type);
    }

    private static async Task<string> ReceiveTextAsync(WebSocket socket)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(length), limit.Token);
            length += result.Count;
        }
        while (!result.EndOfMessage);
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    private sealed class RawPushFactory : ApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting(RawPush.EnabledKey, "true");
        }
    }
}
