using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using HallMonitor.Grains;
using HallMonitor.Testing;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ProtocolMessage = Microsoft.AspNetCore.SignalR.Protocol.HubMessage;

namespace HallMonitor.Web.Tests;

/// <summary>What the live push costs per hall: an event or an alert is serialized once, however many watch.</summary>
public sealed class PushSerializationTests
{
    private static readonly DateTimeOffset Morning = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task EventOfAHallWatchedByManyClients_IsSerializedOnce()
    {
        await using var api = new CountingFactory();
        var clients = new List<HubClient>();
        for (var i = 0; i < 20; i++)
        {
            var client = await HubConnections.ConnectAsync(api);
            await client.InvokeAsync<HallSnapshot>("JoinHall", TestHalls.HallId);
            clients.Add(client);
        }

        for (var i = 0; i < 5; i++)
        {
            var clerk = await HubConnections.ConnectAsync(api);
            await clerk.InvokeAsync<HallSnapshot>("JoinWindow", TestHalls.HallId, $"0{i + 1}");
            clients.Add(clerk);
        }

        await api.CreateClient().IssueAsync("BIZ-REG");
        var received = await Task.WhenAll(clients.Select(async c => (await c.NextAsync("event")).Argument<HallEventMessage>()));

        Assert.All(received, e => Assert.Equal("ticketIssued", e.Type));
        Assert.Equal(1, api.Protocol.Serialized("event"));
        await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
    }

    [Fact]
    public async Task AlertToTheHallAndToTheWindowsServingItsMatter_IsSerializedOnce()
    {
        var clock = new ManualTimeProvider(Morning);
        await using var api = new CountingFactory(clock);
        await using var wall = await HubConnections.ConnectAsync(api);
        await using var comprehensive = await HubConnections.ConnectAsync(api);
        await using var dedicated = await HubConnections.ConnectAsync(api);
        await wall.InvokeAsync<HallSnapshot>("JoinHall", TestHalls.HallId);
        await comprehensive.InvokeAsync<HallSnapshot>("JoinWindow", TestHalls.HallId, "01");
        await dedicated.InvokeAsync<HallSnapshot>("JoinWindow", TestHalls.HallId, "09");
        await api.CreateClient().IssueAsync("BIZ-REG");

        clock.Advance(TimeSpan.FromSeconds(1800 * 0.8));
        var alerts = await Task.WhenAll(new[] { wall, comprehensive, dedicated }.Select(async c => (await c.NextAsync("alert")).Argument<AlertView>()));

        Assert.All(alerts, a => Assert.Equal(alerts[0], a));
        Assert.Equal(1, api.Protocol.Serialized("alert"));
    }

    /// <summary>The web application with its hub's JSON protocol counting what it serializes.</summary>
    private sealed class CountingFactory(ManualTimeProvider? clock = null) : ApiFactory(clock)
    {
        public CountingProtocol Protocol => Services.GetRequiredService<CountingProtocol>();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<IHubProtocol>();
                services.AddSingleton(provider => new CountingProtocol(ActivatorUtilities.CreateInstance<JsonHubProtocol>(provider)));
                services.AddSingleton<IHubProtocol>(provider => provider.GetRequiredService<CountingProtocol>());
            });
        }
    }

    /// <summary>The hub's JSON protocol, counting the invocations it writes per target.</summary>
    private sealed class CountingProtocol(IHubProtocol inner) : IHubProtocol
    {
        private readonly ConcurrentDictionary<string, int> _written = new();

        public string Name => inner.Name;

        public int Version => inner.Version;

        public TransferFormat TransferFormat => inner.TransferFormat;

        public int Serialized(string target) => _written.GetValueOrDefault(target);

        public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);

        public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out ProtocolMessage? message) =>
            inner.TryParseMessage(ref input, binder, out message);

        public void WriteMessage(ProtocolMessage message, IBufferWriter<byte> output)
        {
            Count(message);
            inner.WriteMessage(message, output);
        }

        public ReadOnlyMemory<byte> GetMessageBytes(ProtocolMessage message)
        {
            Count(message);
            return inner.GetMessageBytes(message);
        }

        private void Count(ProtocolMessage message)
        {
            if (message is InvocationMessage { Target: var target })
            {
                _written.AddOrUpdate(target, 1, (_, n) => n + 1);
            }
        }
    }
}
