using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace HallMonitor.Cluster.Tests;

/// <summary>
/// A silo or a web replica as a real process on loopback, started from its project's build output with
/// command-line configuration, killed with SIGKILL or stopped with SIGTERM like a pod.
/// </summary>
internal sealed class ClusterProcess : IAsyncDisposable
{
    private readonly ProcessStartInfo _start;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    private ClusterProcess(string name, ProcessStartInfo start, int httpPort)
    {
        Name = name;
        _start = start;
        Address = new Uri($"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}");
        Client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Name { get; }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public int? Pid => _process is { HasExited: false } process ? process.Id : null;

    /// <summary>A silo (<c>silo/</c>'s output) with the given configuration.</summary>
    public static ClusterProcess Silo(string name, IReadOnlyDictionary<string, string> settings) =>
        Create(name, "silo", "HallMonitor.Silo.dll", settings);

    /// <summary>A web replica (<c>web/</c>'s output) with the given configuration.</summary>
    /// <summary>
    /// A web replica (<c>web/</c>'s output) with the given configuration, on the command line or, with
    /// <paramref name="asEnvironment"/>, as environment variables (<c>HallMonitor__Silo</c>), as on Kubernetes.
    /// </summary>
    public static ClusterProcess Web(string name, IReadOnlyDictionary<string, string> settings, bool asEnvironment = false) =>
        Create(name, "web", "HallMonitor.Web.dll", settings, asEnvironment);

    private static ClusterProcess Create(string name, string project, string dll, IReadOnlyDictionary<string, string> settings, bool asEnvironment = false)
    {
        var folder = OutputFolder(project);
        var port = Testing.FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(folder, dll));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        foreach (var (key, value) in settings)
        {
            if (asEnvironment)
            {
                start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }
            else
            {
                start.ArgumentList.Add($"--{key}={value}");
            }
        }

        return new ClusterProcess(name, start, port);
    }

    /// <summary>Starts the process (again, after a kill); does not wait for it to be ready.</summary>
    public void Start()
    {
        _process?.Dispose();
        var process = Process.Start(_start) ?? throw new InvalidOperationException($"{Name} did not start.");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    /// <summary>Waits until <c>/readyz</c> answers 200, or fails with the process's last output lines.</summary>
    public async Task WaitReadyAsync(TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await Client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (_process is null or { HasExited: true } || deadline.Elapsed > within)
            {
                throw new InvalidOperationException($"{Name} did not become ready within {within} (exited: {_process?.HasExited}).{Environment.NewLine}{Tail()}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The process's last output lines, for a failing test's message.</summary>
    public string Tail(int lines = 40) => string.Join(Environment.NewLine, _output.TakeLast(lines));

    /// <summary>SIGKILL: no shutdown, nothing flushed, connections just drop.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM, as Kubernetes stops a pod, and waits for the process to exit by itself.</summary>
    public async Task TerminateAsync(TimeSpan within)
    {
        if (_process is { HasExited: false } process)
        {
            Signal(process.Id, "TERM");
            await process.WaitForExitAsync().WaitAsync(within);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        Client.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 400 && _output.TryDequeue(out _))
        {
        }
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>The project's build output in the same configuration as these tests (…/bin/Debug/net10.0/).</summary>
    private static string OutputFolder(string project)
    {
        var tests = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = tests.Name;
        var configuration = tests.Parent!.Name;
        var root = tests;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "HallMonitor.sln")))
        {
            root = root.Parent;
        }

        var folder = Path.Combine(root?.FullName ?? throw new InvalidOperationException("HallMonitor.sln not found above the tests."), project, "bin", configuration, framework);
        return Directory.Exists(folder) ? folder : throw new InvalidOperationException($"{folder} does not exist: build the solution first.");
    }
}
