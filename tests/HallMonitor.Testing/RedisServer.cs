using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace HallMonitor.Testing;

/// <summary>
/// A throw-away <c>redis-server</c> on loopback (Debian's package): the cluster's membership table and reminders
/// for one test class. Its append-only file (fsync on every write) lives in a folder of its own, so a server killed
/// and started again on the same port comes back with the membership table, as a production Redis must.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hallmonitor-redis-").FullName;
    private Process? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>The StackExchange.Redis connection string.</summary>
    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(FreePort.Next());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server (again) on its port and waits until it answers.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo(Executable())
        {
            ArgumentList =
            {
                "--port", Port.ToString(CultureInfo.InvariantCulture),
                "--bind", "127.0.0.1",
                "--dir", _folder,
                "--save", string.Empty,
                "--appendonly", "yes",
                "--appendfsync", "always",
                "--protected-mode", "yes",
                "--loglevel", "warning",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (!await AnswersAsync())
        {
            if (_process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(15))
            {
                throw new InvalidOperationException($"redis-server on port {Port} did not come up (exited: {_process.HasExited}).");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Kills the server (SIGKILL): Redis is suddenly unreachable.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<bool> AnswersAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
            return read > 0 && buffer[0] == (byte)'+';
        }
        catch (Exception exception) when (exception is SocketException or IOException or TimeoutException)
        {
            return false;
        }
    }

    private static readonly string[] Executables = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"];

    private static string Executable() =>
        Executables.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("redis-server is not installed; ./test.sh installs the Debian package redis-server.");
}
