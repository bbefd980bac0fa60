using System.Diagnostics;
using System.Globalization;
using System.Net;
using HallMonitor.Testing;

namespace HallMonitor.Web.Tests;

/// <summary>The built web application as a real process on loopback, which a test can kill with SIGKILL.</summary>
internal sealed class WebProcess : IAsyncDisposable
{
    private readonly Process _process;

    private WebProcess(Process process, Uri address)
    {
        _process = process;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    /// <summary>Starts <c>HallMonitor.Web.dll</c> from the web project's build output and waits until it is ready.</summary>
    public static async Task<WebProcess> StartAsync(string dataDir, string hallsFile)
    {
        var port = FreePort.Next();
        var web = Path.Combine(AppContext.BaseDirectory, "HallMonitor.Web.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                web,
                "--urls", $"http://127.0.0.1:{port}",
                "--HallMonitor:DataDir", dataDir,
                "--HallMonitor:SiloPort", FreePort.Next().ToString(CultureInfo.InvariantCulture),
                "--HallMonitor:GatewayPort", FreePort.Next().ToString(CultureInfo.InvariantCulture),
                "--HallMonitor:HallsFile", hallsFile,
                "--Logging:LogLevel:Default", "Warning",
                "--HallMonitor:RateLimit:CommandsPerMinute", "0",
            },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var web2 = new WebProcess(process, new Uri($"http://127.0.0.1:{port}"));
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await web2.Client.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK)
                {
                    return web2;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                await web2.DisposeAsync();
                throw new InvalidOperationException($"The web process did not become ready (exited: {process.HasExited}).");
            }

            await Task.Yield();
        }
    }

    /// <summary>Kills the process the hard way (SIGKILL): no shutdown, no checkpoints, nothing flushed.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
        Client.Dispose();
    }
}
