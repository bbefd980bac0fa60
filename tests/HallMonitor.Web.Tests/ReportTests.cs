using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using HallMonitor.Grains;
using HallMonitor.Testing;
using Microsoft.VisualBasic.FileIO;

namespace HallMonitor.Web.Tests;

/// <summary>
/// Reports against figures the test computes itself from the tickets it drove through the API over two
/// service days on a manual clock.
/// </summary>
public sealed class ReportTests
{
    private static readonly Dictionary<string, (int Wait, int Handle)> Targets = new()
    {
        ["BIZ-REG"] = (1800, 1200),
        ["TAX-INV"] = (1200, 600),
        ["RE-TRANS"] = (1800, 1800),
    };

    [Theory]
    [InlineData("hall")]
    [InlineData("matter")]
    [InlineData("window")]
    [InlineData("clerk")]
    [InlineData("hour")]
    [InlineData("day")]
    public async Task Summary_EqualsFiguresComputedFromTheTicketsDriven(string groupBy)
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 0, 30, 0, TimeSpan.Zero));
        await using var api = new ApiFactory(clock);
        var client = api.CreateClient();
        var tickets = await DriveTwoDaysAsync(client, clock);

        var report = await client.GetAsync<SummaryReport>($"{Api.Hall}/reports/summary?from=2026-11-23&to=2026-11-24&groupBy={groupBy}");
        var expected = Expected(tickets, groupBy, clock.GetUtcNow());

        Assert.Equal(expected.Select(r => r.Key), report.Rows.Select(r => r.Key));
        foreach (var (want, got) in expected.Zip(report.Rows))
        {
            Assert.Equal(want, got with { Label = null });
        }

        Assert.Equal(tickets.Count, report.Rows.Sum(r => r.Issued));
    }

    [Fact]
    public async Task Summary_CoversOnlyTheDaysAsked()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 0, 30, 0, TimeSpan.Zero));
        await using var api = new ApiFactory(clock);
        var client = api.CreateClient();
        var tickets = await DriveTwoDaysAsync(client, clock);

        var second = await client.GetAsync<SummaryReport>($"{Api.Hall}/reports/summary?from=2026-11-24&to=2026-11-24");
        var none = await client.GetAsync<SummaryReport>($"{Api.Hall}/reports/summary?from=2026-12-01&to=2026-12-31");

        Assert.Equal(tickets.Count(t => t.Day == new DateOnly(2026, 11, 24)), Assert.Single(second.Rows).Issued);
        Assert.Equal("长春新区政务服务中心", second.Rows[0].Label);
        Assert.Empty(none.Rows);
    }

    [Fact]
    public async Task Csv_HasABomAndTheSameRowsAsJson()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 0, 30, 0, TimeSpan.Zero));
        await using var api = new ApiFactory(clock);
        var client = api.CreateClient();
        await DriveTwoDaysAsync(client, clock);
        var json = await client.GetAsync<SummaryReport>($"{Api.Hall}/reports/summary?from=2026-11-23&to=2026-11-24&groupBy=matter");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Api.Hall}/reports/summary?from=2026-11-23&to=2026-11-24&groupBy=matter");
        request.Headers.Accept.ParseAdd("text/csv");
        var response = await client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var viaQuery = await client.GetByteArrayAsync($"{Api.Hall}/reports/summary?from=2026-11-23&to=2026-11-24&groupBy=matter&format=csv");

        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.Equal(bytes, viaQuery);
        using var parser = new TextFieldParser(new MemoryStream(bytes), Encoding.UTF8) { TextFieldType = FieldType.Delimited };
        parser.SetDelimiters(",");
        var header = parser.ReadFields()!;
        var rows = new List<string[]>();
        while (!parser.EndOfData)
        {
            rows.Add(parser.ReadFields()!);
        }

        Assert.Equal("key", header[0]);
        Assert.Equal(json.Rows.Count, rows.Count);
        foreach (var (row, fields) in json.Rows.Zip(rows))
        {
            Assert.Equal(row.Key, fields[0]);
            Assert.Equal(row.Label, fields[1]);
            Assert.Equal(row.Issued, int.Parse(fields[Array.IndexOf(header, "issued")], CultureInfo.InvariantCulture));
            Assert.Equal(row.AvgWaitSeconds?.ToString(CultureInfo.InvariantCulture) ?? "", fields[Array.IndexOf(header, "avgWaitSeconds")]);
            Assert.Equal(row.SatisfactionRate?.ToString(CultureInfo.InvariantCulture) ?? "", fields[Array.IndexOf(header, "satisfactionRate")]);
        }
    }

    [Theory]
    [InlineData("from=2026-11-23&to=2026-11-22", "to is before from")]
    [InlineData("from=2026-13-01&to=2026-12-01", "from must be a date")]
    [InlineData("from=23.11.2026&to=2026-12-01", "from must be a date")]
    [InlineData("to=2026-12-01", "from is required")]
    [InlineData("from=2025-01-01&to=2026-01-02", "at most 366 days")]
    [InlineData("from=2026-11-01&to=2026-11-30&groupBy=week", "groupBy is hall, window")]
    [InlineData("from=2026-11-01&to=2026-11-30&groupBy=1", "groupBy is hall, window")]
    public async Task BadRange_Is400NamingTheProblem(string query, string detail)
    {
        await using var api = new ApiFactory();

        var response = await api.CreateClient().GetAsync($"{Api.Hall}/reports/summary?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(detail, (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PeaksAndDistribution_CountTheTicketsDriven()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 0, 30, 0, TimeSpan.Zero));
        await using var api = new ApiFactory(clock);
        var client = api.CreateClient();
        var tickets = await DriveTwoDaysAsync(client, clock);

        var peaks = await client.GetAsync<PeakReport>($"{Api.Hall}/reports/peaks?from=2026-11-23&to=2026-11-24");
        var spread = await client.GetAsync<DistributionReport>($"{Api.Hall}/reports/distribution?from=2026-11-23&to=2026-11-24");

        foreach (var group in tickets.GroupBy(t => (Weekday: ((int)t.Day.DayOfWeek + 6) % 7, t.Issued.ToOffset(TimeSpan.FromHours(8)).Hour)))
        {
            Assert.Equal(group.Count(), peaks.Issued[group.Key.Weekday][group.Key.Hour]);
        }

        Assert.Equal(tickets.Count, peaks.Issued.Sum(day => day.Sum()));
        Assert.Equal(tickets.Count(t => t.Wait is not null), spread.Wait.Sum());
        Assert.Equal(tickets.Count(t => t.Handle is not null), spread.Handle.Sum());
        Assert.Equal(tickets.Count(t => t.Wait <= 5 * 60), spread.Wait[0]);
    }

    /// <summary>What the test itself knows about a ticket it drove.</summary>
    private sealed record Driven(string TicketId, string Matter, DateOnly Day, DateTimeOffset Issued)
    {
        public string? Window { get; set; }

        public string? Clerk { get; set; }

        public double? Wait { get; set; }

        public double? Handle { get; set; }

        public DateTimeOffset? Finished { get; set; }

        public TicketState Outcome { get; set; } = TicketState.Waiting;

        public int? Score { get; set; }
    }

    /// <summary>Two service days of kiosks and three windows, with varied waits, services, no-shows, a cancellation and ratings.</summary>
    private static async Task<List<Driven>> DriveTwoDaysAsync(HttpClient client, ManualTimeProvider clock)
    {
        var random = new Random(20261123);
        string[] matters = ["BIZ-REG", "TAX-INV", "RE-TRANS"];
        (string Window, string Clerk)[] windows = [("01", "王芳"), ("09", "李明"), ("11", "张伟")];
        var tickets = new List<Driven>();
        foreach (var day in new[] { new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 24) })
        {
            clock.AdvanceTo(new DateTimeOffset(day.ToDateTime(new TimeOnly(8, 30)), TimeSpan.FromHours(8)));
            foreach (var (window, clerk) in windows)
            {
                if ((await client.GetAsync<WindowView>($"{Api.Hall}/windows/{window}")).State == WindowState.Closed)
                {
                    await client.OpenAsync(window, clerk);
                }
            }

            var today = new List<Driven>();
            for (var i = 0; i < 14; i++)
            {
                clock.Advance(TimeSpan.FromMinutes(random.Next(1, 12)));
                var issued = await client.IssueAsync(matters[random.Next(matters.Length)]);
                today.Add(new Driven(issued.TicketId, issued.Matter, day, clock.GetUtcNow()));
            }

            clock.Advance(TimeSpan.FromMinutes(3));
            var cancelled = today[5];
            (await client.PostAsync($"{Api.Hall}/tickets/{cancelled.TicketId}/cancel", null)).EnsureSuccessStatusCode();
            cancelled.Outcome = TicketState.Cancelled;
            cancelled.Finished = clock.GetUtcNow();

            for (var idle = 0; idle < windows.Length;)
            {
                var (window, clerk) = windows[random.Next(windows.Length)];
                clock.Advance(TimeSpan.FromMinutes(random.Next(1, 25)));
                if (await client.CallNextAsync(window) is not { } called)
                {
                    idle++;
                    continue;
                }

                idle = 0;
                var ticket = today.Single(t => t.TicketId == called.TicketId);
                ticket.Window = window;
                ticket.Clerk = clerk;
                ticket.Wait = (clock.GetUtcNow() - ticket.Issued).TotalSeconds;
                if (random.Next(6) == 0)
                {
                    await client.ActAsync(window, "no-show");
                    ticket.Outcome = TicketState.NoShow;
                    continue;
                }

                await client.ActAsync(window, "start");
                var started = clock.GetUtcNow();
                clock.Advance(TimeSpan.FromMinutes(random.Next(4, 30)));
                await client.ActAsync(window, "complete");
                ticket.Handle = (clock.GetUtcNow() - started).TotalSeconds;
                ticket.Finished = clock.GetUtcNow();
                ticket.Outcome = TicketState.Completed;
                if (random.Next(3) > 0)
                {
                    ticket.Score = random.Next(1, 6);
                    (await client.PostAsJsonAsync($"{Api.Hall}/tickets/{ticket.TicketId}/rating", new { score = ticket.Score }, Api.Json)).EnsureSuccessStatusCode();
                }
            }

            tickets.AddRange(today);
        }

        return tickets;
    }

    private static List<SummaryRow> Expected(List<Driven> tickets, string groupBy, DateTimeOffset now) =>
        [.. tickets
            .GroupBy(t => groupBy switch
            {
                "hall" => "hall",
                "matter" => t.Matter,
                "window" => t.Window ?? "—",
                "clerk" => t.Clerk ?? "—",
                "hour" => t.Issued.ToOffset(TimeSpan.FromHours(8)).Hour.ToString("00", CultureInfo.InvariantCulture),
                _ => t.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            })
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var called = g.Where(t => t.Wait is not null).ToList();
                var waits = called.Select(t => t.Wait!.Value).Order().ToArray();
                var handles = g.Where(t => t.Handle is not null).Select(t => t.Handle!.Value).Order().ToArray();
                var rated = g.Where(t => t.Score is not null).ToList();
                var noShow = g.Count(t => t.Outcome == TicketState.NoShow);
                return new SummaryRow
                {
                    Key = g.Key,
                    Issued = g.Count(),
                    Completed = g.Count(t => t.Outcome == TicketState.Completed),
                    NoShow = noShow,
                    Cancelled = g.Count(t => t.Outcome == TicketState.Cancelled),
                    AvgWaitSeconds = waits.Length == 0 ? null : Math.Round(waits.Average(), 1),
                    P90WaitSeconds = waits.Length == 0 ? null : waits[(int)Math.Ceiling(waits.Length * 0.9) - 1],
                    AvgHandleSeconds = handles.Length == 0 ? null : Math.Round(handles.Average(), 1),
                    P90HandleSeconds = handles.Length == 0 ? null : handles[(int)Math.Ceiling(handles.Length * 0.9) - 1],
                    WaitOvertime = g.Count(t => (t.Wait ?? ((t.Finished ?? now) - t.Issued).TotalSeconds) >= Targets[t.Matter].Wait),
                    HandleOvertime = g.Count(t => t.Handle >= Targets[t.Matter].Handle),
                    Rated = rated.Count,
                    SatisfactionRate = rated.Count == 0 ? null : Math.Round(rated.Count(t => t.Score >= 4) / (double)rated.Count, 4),
                    ServiceLevel = called.Count == 0 ? null : Math.Round(called.Count(t => t.Wait < Targets[t.Matter].Wait) / (double)called.Count, 4),
                    NoShowRate = called.Count == 0 ? null : Math.Round(noShow / (double)called.Count, 4),
                };
            })];
}
