using System.Collections.Concurrent;
using System.Net.Http.Json;
using HallMonitor.Grains;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace HallMonitor.Web.Tests;

/// <summary>
/// A journal row altered directly in the SQLite file while the server was down: reported at start-up (a critical log
/// line, the verified gauge at 0) and by <c>journal/verify</c>, and never skipped when a grain replays it.
/// </summary>
public sealed class CorruptJournalTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("hallmonitor-corrupt-").FullName;

    [Fact]
    public async Task TamperedRow_IsReportedAtStartUp_ByACriticalLogLineAndTheVerifiedGauge()
    {
        await IssueThreeTicketsAsync();
        Tamper("UPDATE journal SET data = replace(data, 'A002', 'A009') WHERE hall = 'xinqu' AND seq = 2");
        var log = new LogRecorder();

        await using var api = new ApiFactory(dataDir: _dataDir);
        var client = api.WithWebHostBuilder(web => web.ConfigureLogging(logging => logging.AddProvider(log))).CreateClient();
        var gauge = await VerifiedGaugeAsync(client);

        Assert.Equal(0, gauge);
        Assert.Contains(log.Critical, line => line.StartsWith("Journal of hall xinqu is corrupt from event 2: Event 2: its content does not match its hash.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task IntactJournal_IsReportedVerifiedAtStartUp()
    {
        await IssueThreeTicketsAsync();
        var log = new LogRecorder();

        await using var api = new ApiFactory(dataDir: _dataDir);
        var client = api.WithWebHostBuilder(web => web.ConfigureLogging(logging => logging.AddProvider(log))).CreateClient();
        var gauge = await VerifiedGaugeAsync(client);

        Assert.Equal(1, gauge);
        Assert.Empty(log.Critical);
    }

    [Fact]
    public async Task UndecodableRow_KeepsTheHallFromStarting_With503NamingHallAndEvent()
    {
        await IssueThreeTicketsAsync();
        // The checkpoints are gone too, so every grain has to replay the damaged row.
        Tamper("UPDATE journal SET data = '{\"ticketId\": ' WHERE hall = 'xinqu' AND seq = 2");
        Tamper("DELETE FROM grain_state");

        await using var api = new ApiFactory(dataDir: _dataDir);
        var client = api.CreateClient();
        var snapshot = await client.GetAsync($"{Api.Hall}/snapshot");
        var issue = await client.PostAsJsonAsync($"{Api.Hall}/tickets", new { matter = "BIZ-REG" }, Api.Json);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var report = await client.GetAsync($"{Api.Hall}/reports/summary?from={today.AddDays(-1):yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}&groupBy=matter");
        var ready = await client.GetAsync("/readyz");
        var verification = await client.VerifyJournalAsync();

        await AssertUnreadableAsync(snapshot);
        await AssertUnreadableAsync(issue);
        await AssertUnreadableAsync(report);
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.False(verification.Ok);
        Assert.Equal(2, verification.FirstBadSeq);
        Assert.Equal(3, (await client.GetAsync<JournalPage>($"{Api.Hall}/journal?fromSeq=1&limit=100")).Events.Count);
    }

    private static async Task AssertUnreadableAsync(HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("Event 2 of the journal of hall 'xinqu' cannot be read (its 'ticketIssued' data is damaged)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDir, recursive: true);
    }

    private async Task IssueThreeTicketsAsync()
    {
        await using var api = new ApiFactory(dataDir: _dataDir);
        var client = api.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            await client.IssueAsync("BIZ-REG");
        }
    }

    private void Tamper(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_dataDir, "hallmonitor.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.True(command.ExecuteNonQuery() > 0, $"Nothing to tamper with: {sql}");
    }

    /// <summary><c>hallmonitor_journal_verified{hall="xinqu"}</c> once the background verification has set it.</summary>
    private static async Task<double> VerifiedGaugeAsync(HttpClient client)
    {
        const string Series = "hallmonitor_journal_verified{hall=\"xinqu\"} ";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var text = await client.GetStringAsync("/metrics");
            var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(Series, StringComparison.Ordinal));
            if (line is not null)
            {
                return double.Parse(line[Series.Length..], System.Globalization.CultureInfo.InvariantCulture);
            }

            Assert.True(DateTime.UtcNow < deadline, "The journal was not verified within 20 s of start-up.");
            await Task.Delay(200);
        }
    }

    /// <summary>Records the critical log lines of the server.</summary>
    private sealed class LogRecorder : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _critical = new();

        public IReadOnlyCollection<string> Critical => _critical;

        public ILogger CreateLogger(string categoryName) => new Recorder(_critical);

        public void Dispose()
        {
        }

        private sealed class Recorder(ConcurrentQueue<string> critical) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel == LogLevel.Critical;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    critical.Enqueue(formatter(state, exception));
                }
            }
        }
    }
}
