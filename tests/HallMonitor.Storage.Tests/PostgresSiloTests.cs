using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HallMonitor.Storage.Tests;

/// <summary>The product's silo wiring with <c>HallMonitor:Storage=postgres</c>: tickets go through the grains and survive a restart.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSiloTests(SharedPostgres postgres)
{
    [Fact]
    public async Task Ticket_IssuedCalledServedAndCompleted_IsJournaledInPostgres_AndSurvivesARestart()
    {
        var database = await postgres.NewDatabaseAsync();
        string ticketId;
        await using (var silo = await Silo.StartAsync(database))
        {
            var window = silo.Grains.GetWindow(TestHalls.HallId, "01");
            await window.OpenAsync("王芳");
            ticketId = (await silo.Grains.GetMatter(TestHalls.HallId, "BIZ-REG").IssueAsync(TicketChannel.Kiosk, false, "kiosk")).TicketId;
            await window.CallNextAsync();
            await window.StartAsync();
            await window.CompleteAsync();
        }

        await using var restarted = await Silo.StartAsync(database);
        var ticket = await restarted.Grains.GetTicket(TestHalls.HallId, ticketId).GetAsync();
        var verification = await restarted.Grains.GetHall(TestHalls.HallId).VerifyJournalAsync();
        await using var store = SharedPostgres.Open(database);
        var journal = await new PostgresJournalStore(store).ReadAllAsync(TestHalls.HallId);

        Assert.Equal(TicketState.Completed, ticket.State);
        Assert.Equal("王芳", ticket.Clerk);
        Assert.True(verification.Ok, verification.Problem);
        Assert.Equal(["windowOpened", "ticketIssued", "ticketCalled", "serviceStarted", "serviceCompleted"], journal.Select(r => r.Type));
        Assert.True((long)(await SharedPostgres.QueryAsync(database, "SELECT count(*) FROM grain_state"))! > 0, "the stopped silo wrote its checkpoints");
    }

    [Fact]
    public async Task TamperedRow_IsReportedByTheStartUpVerificationAndByVerify()
    {
        var database = await postgres.NewDatabaseAsync();
        await using (var silo = await Silo.StartAsync(database))
        {
            var matter = silo.Grains.GetMatter(TestHalls.HallId, "BIZ-REG");
            for (var i = 0; i < 3; i++)
            {
                await matter.IssueAsync(TicketChannel.Kiosk, false, "kiosk");
            }
        }

        await SharedPostgres.QueryAsync(database, $"UPDATE journal SET data = replace(data, 'A002', 'A009') WHERE hall = '{TestHalls.HallId}' AND seq = 2");
        await using var restarted = await Silo.StartAsync(database);
        var gauge = await restarted.VerifiedGaugeAsync();
        var verification = await restarted.Grains.GetHall(TestHalls.HallId).VerifyJournalAsync();

        Assert.Equal(0, gauge);
        Assert.False(verification.Ok);
        Assert.Equal(2, verification.FirstBadSeq);
        Assert.Equal("Event 2: its content does not match its hash.", verification.Problem);
    }

    [Fact]
    public async Task Issue_WhileTheDatabaseIsDown_FailsAsUnavailable_AndAfterItIsBackTheNumberingContinues()
    {
        await using var server = await PostgresServer.StartAsync();
        var database = await server.CreateDatabaseAsync("silo_outage");
        await using var silo = await Silo.StartAsync(database);
        var matter = silo.Grains.GetMatter(TestHalls.HallId, "BIZ-REG");
        var first = await matter.IssueAsync(TicketChannel.Kiosk, false, "kiosk");

        await server.StopAsync();
        await Assert.ThrowsAsync<JournalUnavailableException>(() => matter.IssueAsync(TicketChannel.Kiosk, false, "kiosk"));
        await server.StartAgainAsync();
        var next = await matter.IssueAsync(TicketChannel.Kiosk, false, "kiosk");
        var verification = await silo.Grains.GetHall(TestHalls.HallId).VerifyJournalAsync();

        Assert.Equal(("A001", "A002"), (first.Number, next.Number));
        Assert.True(verification.Ok, verification.Problem);
        Assert.Equal(2, verification.Events);
    }

    [Fact]
    public void Postgres_WithoutAConnectionString_StopsTheStartNamingTheKey()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["HallMonitor:Storage"] = "postgres" });

        var refused = Assert.Throws<InvalidOperationException>(() => builder.AddHallMonitorSilo());

        Assert.Contains("HallMonitor:Postgres", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>A silo hosted as the product hosts it, on the given database.</summary>
    private sealed class Silo(IHost host, string hallsFile) : IAsyncDisposable
    {
        public IGrainFactory Grains => host.Services.GetRequiredService<IGrainFactory>();

        /// <summary><c>hallmonitor_journal_verified</c> of the test hall, once the background verification set it.</summary>
        public async Task<double> VerifiedGaugeAsync()
        {
            var series = $"hallmonitor_journal_verified{{hall=\"{TestHalls.HallId}\"}} ";
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (true)
            {
                using var text = new MemoryStream();
                await host.Services.GetRequiredService<Prometheus.CollectorRegistry>().CollectAndExportAsTextAsync(text);
                var line = System.Text.Encoding.UTF8.GetString(text.ToArray()).Split('\n').FirstOrDefault(l => l.StartsWith(series, StringComparison.Ordinal));
                if (line is not null)
                {
                    return double.Parse(line[series.Length..], System.Globalization.CultureInfo.InvariantCulture);
                }

                Assert.True(DateTime.UtcNow < deadline, "The journal was not verified within 20 s of start-up.");
                await Task.Delay(200);
            }
        }

        public static async Task<Silo> StartAsync(string connectionString)
        {
            var hallsFile = Path.Combine(Path.GetTempPath(), $"halls-{Guid.NewGuid():N}.json");
            await System.IO.File.WriteAllTextAsync(hallsFile, JsonSerializer.Serialize(TestHalls.File(), HallMonitorJson.Options));
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            var settings = FreePort.SiloPorts();
            settings["HallMonitor:HallsFile"] = hallsFile;
            settings["HallMonitor:Storage"] = "postgres";
            settings["HallMonitor:Postgres"] = connectionString;
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.AddHallMonitorSilo();
            var host = builder.Build();
            await host.StartAsync();
            return new Silo(host, hallsFile);
        }

        public async ValueTask DisposeAsync()
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await host.StopAsync(limit.Token);
            host.Dispose();
            System.IO.File.Delete(hallsFile);
        }
    }
}
