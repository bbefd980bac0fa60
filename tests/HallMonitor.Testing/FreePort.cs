using System.Net;
using System.Net.Sockets;

namespace HallMonitor.Testing;

/// <summary>Loopback ports nobody listens on, for the silo and gateway ports of test hosts that run side by side.</summary>
public static class FreePort
{
    /// <summary>A port the operating system just handed out and released.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Configuration that gives a co-hosted silo ports of its own.</summary>
    public static Dictionary<string, string?> SiloPorts() => new()
    {
        ["HallMonitor:SiloPort"] = Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["HallMonitor:GatewayPort"] = Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
