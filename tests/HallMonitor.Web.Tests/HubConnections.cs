using HallMonitor.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HallMonitor.Web.Tests;

/// <summary>Connects the hub test client to an in-process test server.</summary>
internal static class HubConnections
{
    public static Task<HubClient> ConnectAsync<T>(WebApplicationFactory<T> factory)
        where T : class
        => HubClient.ConnectAsync(() => factory.Server.CreateWebSocketClient().ConnectAsync(new Uri("ws://localhost/hubs/hall"), CancellationToken.None));
}
