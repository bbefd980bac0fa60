using System.Net.Http.Json;
using System.Text.Json;
using HallMonitor.Bench.Simulate;
using HallMonitor.Grains;
using HallMonitor.Silo;
using HallMonitor.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HallMonitor.Bench.Tests;

public sealed class SimulateDriverTests
{
    /// <summary>The driver's summary is only worth its numbers if the server journaled exactly what it counted.</summary>
    [Fact]
    public async Task Simulate_CountsWhatTheServerJournaled()
    {
        await using var server = new Server(CityHalls.City(halls: 2, windows: 12, matters: 12, sectors: 4));
        using var http = server.CreateClient();
        var halls = await SimulateDriver.ReadHallsAsync(http, only: null, CancellationToken.None);
        var from = SimulateDriver.TodayAt(halls[0], new TimeOnly(9, 0));
        var recorder = new LoadRecorder();

        // The morning peak at ×1800: an hour in two seconds, on a server that runs on real time.
        var dayOver = await SimulateDriver.Day(http, halls, new ScaledTimeProvider(from, 1800), seed: 7, recorder)
            .RunAsync(until: from.AddHours(1), stepped: null, CancellationToken.None);

        Assert.False(dayOver);
        var (perHall, total) = recorder.Snapshot(halls.Select(h => h.Id));
        Assert.True(total.Outcomes().Issued > 20, $"issued {total.Outcomes().Issued}");
        Assert.True(total.Outcomes().Served > 5, $"served {total.Outcomes().Served}");
        Assert.Equal(0, total.Errors);
        foreach (var (hall, tally) in perHall)
        {
            var journal = await JournalAsync(http, hall);
            var counted = tally.Outcomes();
            Assert.Equal(counted.Issued + counted.Transfers, journal.GetValueOrDefault("ticketIssued"));
            Assert.Equal(counted.Called, journal.GetValueOrDefault("ticketCalled"));
            Assert.Equal(counted.Recalled, journal.GetValueOrDefault("ticketRecalled"));
            Assert.Equal(counted.Started, journal.GetValueOrDefault("serviceStarted"));
            Assert.Equal(counted.Served, journal.GetValueOrDefault("serviceCompleted"));
            Assert.Equal(counted.NoShows, journal.GetValueOrDefault("ticketNoShow"));
            Assert.Equal(counted.Transfers, journal.GetValueOrDefault("ticketTransferred"));
            Assert.Equal(counted.Ratings, journal.GetValueOrDefault("ticketRated"));
            Assert.Equal(tally.Answers.GetValueOrDefault(("open", 200)), journal.GetValueOrDefault("windowOpened"));
            Assert.Equal(tally.Requests, tally.Answers.Values.Sum());
        }
    }

    /// <summary>A second run finds the windows open: each refuses one open (409) and its clerk takes it over as it is.</summary>
    [Fact]
    public async Task Simulate_AgainOnOpenWindows_TakesThemOver()
    {
        await using var server = new Server(CityHalls.City(halls: 1, windows: 8, matters: 6, sectors: 2));
        using var http = server.CreateClient();
        var halls = await SimulateDriver.ReadHallsAsync(http, only: null, CancellationToken.None);
        var from = SimulateDriver.TodayAt(halls[0], new TimeOnly(9, 0));
        await SimulateDriver.Day(http, halls, new ScaledTimeProvider(from, 1800), seed: 1, new LoadRecorder())
            .RunAsync(until: from.AddMinutes(30), stepped: null, CancellationToken.None);
        var again = new LoadRecorder();

        await SimulateDriver.Day(http, halls, new ScaledTimeProvider(from.AddMinutes(30), 1800), seed: 2, again)
            .RunAsync(until: from.AddMinutes(90), stepped: null, CancellationToken.None);

        var (_, total) = again.Snapshot(halls.Select(h => h.Id));
        Assert.Equal(8, total.Answers.GetValueOrDefault(("open", 409)));
        Assert.Equal(0, total.Answers.GetValueOrDefault(("open", 200)));
        Assert.True(total.Outcomes().Served > 0, $"served {total.Outcomes().Served}");

        // At most one refused call-next per window: the one that finds it still busy with a ticket of the first run.
        Assert.All(total.Refusals(), r => Assert.True(r is { Status: 409, Count: <= 8, Action: "open" or "call-next" }, $"refused {r}"));
    }

    [Fact]
    public void LoadRecorder_CountsRefusalsApartFromOutcomes()
    {
        var recorder = new LoadRecorder();

        recorder.Record(new("h", "issue", System.Net.HttpStatusCode.Created, TimeSpan.FromMilliseconds(2)));
        recorder.Record(new("h", "call-next", System.Net.HttpStatusCode.NoContent, TimeSpan.FromMilliseconds(1)));
        recorder.Record(new("h", "call-next", System.Net.HttpStatusCode.OK, TimeSpan.FromMilliseconds(3)));
        recorder.Record(new("h", "complete", System.Net.HttpStatusCode.Conflict, TimeSpan.FromMilliseconds(4)));
        recorder.Record(new("h", "rating", null, TimeSpan.FromMilliseconds(30)));

        var (_, total) = recorder.Snapshot(["h"]);
        Assert.Equal(new Outcomes(Issued: 1, Called: 1, Recalled: 0, Started: 0, Served: 0, NoShows: 0, Transfers: 0, Ratings: 0, CaseSteps: 0), total.Outcomes());
        Assert.Equal(2, total.Errors);
        Assert.Equal([("complete", 409, 1L), ("rating", 0, 1L)], total.Refusals().OrderBy(r => r.Action));
        Assert.Equal(30, LoadRecorder.Percentile([.. total.Milliseconds.Order()], 0.99));
        Assert.Equal(3, LoadRecorder.Percentile([.. total.Milliseconds.Order()], 0.5));
    }

    private static async Task<Dictionary<string, int>> JournalAsync(HttpClient http, string hall)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (long from = 1; ;)
        {
            var page = await http.GetFromJsonAsync<JsonElement>($"/api/halls/{hall}/journal?fromSeq={from}&limit=500", HallMonitorJson.Options);
            var events = page.GetProperty("events").EnumerateArray().ToList();
            if (events.Count == 0)
            {
                return counts;
            }

            foreach (var type in events.Select(e => e.GetProperty("type").GetString()!))
            {
                counts[type] = counts.GetValueOrDefault(type) + 1;
            }

            from = events[^1].GetProperty("seq").GetInt64() + 1;
        }
    }

    /// <summary>The product in process on real time, on throw-away storage, serving <paramref name="halls"/>.</summary>
    private sealed class Server(HallsFile halls) : WebApplicationFactory<Program>
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("hallmonitor-bench-tests-").FullName;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            var file = Path.Combine(_folder, "halls.json");
            File.WriteAllText(file, JsonSerializer.Serialize(halls, HallMonitorJson.Options));
            builder.UseSetting("HallMonitor:HallsFile", file);
            builder.UseSetting("HallMonitor:DataDir", Path.Combine(_folder, "data"));
            builder.UseSetting("HallMonitor:Storage", "memory");
            builder.UseSetting("HallMonitor:RateLimit:CommandsPerMinute", "0");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseFreeSiloPorts();
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            Directory.Delete(_folder, recursive: true);
        }
    }
}
