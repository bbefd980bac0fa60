using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace HallMonitor.Testing;

/// <summary>
/// A throw-away PostgreSQL server on loopback for tests: the newest Debian package's binaries under
/// <c>/usr/lib/postgresql/*/bin</c>, a new folder and a free port each time, trust authentication for the
/// <c>postgres</c> user. Run as root (as the tests are), the server runs as the <c>postgres</c> OS user.
/// </summary>
/// <remarks>
/// Every server gets a folder and port of its own, so a run killed midway leaves at most an orphan server that
/// nobody connects to again; it never stands in the way of the next run.
/// </remarks>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);
    private readonly string _bin;
    private readonly string _folder;
    private bool _running;

    private PostgresServer(string bin, string folder, int port)
    {
        _bin = bin;
        _folder = folder;
        Port = port;
    }

    public int Port { get; private set; }

    /// <summary>The server's data folder.</summary>
    private string DataDir => Path.Combine(_folder, "data");

    /// <summary>Initializes a new cluster in a new folder and starts it.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBinaries();
        var folder = Directory.CreateTempSubdirectory("hallmonitor-pg-").FullName;
        var server = new PostgresServer(bin, folder, FreePort.Next());
        try
        {
            if (Environment.IsPrivilegedProcess)
            {
                // PostgreSQL refuses to run as root; the folder becomes the postgres user's.
                await RunAsync("chown", ["postgres:postgres", folder], asPostgres: false);
            }

            await RunAsync(Path.Combine(bin, "initdb"), ["-D", server.DataDir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"]);
            await server.StartServerAsync(mayMovePort: true);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A connection string for <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
    }.ConnectionString;

    /// <summary>Creates an empty database, so that each test class has its own.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Stops the server at once, as a crash would (clients see their connections refused).</summary>
    public async Task StopAsync()
    {
        if (_running)
        {
            _running = false;
            await RunAsync(Path.Combine(_bin, "pg_ctl"), ["stop", "-D", DataDir, "-m", "immediate", "-w"]);
        }
    }

    /// <summary>Starts the stopped server again on the same port and data, and returns once it accepts connections.</summary>
    public Task StartAgainAsync() => StartServerAsync(mayMovePort: false);

    private async Task StartServerAsync(bool mayMovePort)
    {
        // pg_ctl -w returns once the server accepts connections, or fails when it could not start.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await RunAsync(Path.Combine(_bin, "pg_ctl"),
                [
                    "start", "-D", DataDir, "-w", "-t", ((int)StartLimit.TotalSeconds).ToString(CultureInfo.InvariantCulture),
                    "-l", Path.Combine(_folder, "server.log"),
                    "-o", string.Join(' ',
                        $"-p {Port}",
                        $"-k {_folder}",
                        "-c listen_addresses=127.0.0.1",
                        "-c shared_buffers=16MB",
                        "-c max_connections=60",
                        "-c max_wal_size=256MB",
                        "-c log_min_messages=warning"),
                ]);
                _running = true;
                return;
            }
            catch (InvalidOperationException) when (mayMovePort && attempt < 3)
            {
                // Another process took the port between FreePort and the server's bind: a new one.
                Port = FreePort.Next();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>The newest installed major version's binaries (the Debian package installs one folder per version).</summary>
    private static string FindBinaries()
    {
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Where(folder => File.Exists(Path.Combine(folder, "bin", "initdb")))
                .OrderByDescending(folder => decimal.TryParse(Path.GetFileName(folder), CultureInfo.InvariantCulture, out var version) ? version : 0)
                .ToList()
            : [];
        return versions.Count > 0
            ? Path.Combine(versions[0], "bin")
            : throw new InvalidOperationException("No PostgreSQL server under /usr/lib/postgresql/*/bin: install the Debian package 'postgresql' (./test.sh does).");
    }

    /// <summary>Runs a program to its end (as the postgres user when this process is root) and throws with its output when it fails.</summary>
    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asPostgres = true)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        if (asPostgres && Environment.IsPrivilegedProcess)
        {
            start.FileName = "runuser";
            foreach (var argument in (string[])["-u", "postgres", "--", program, .. arguments])
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            start.FileName = program;
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }
}
