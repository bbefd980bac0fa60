using System.Diagnostics;
using HallMonitor.Bench.Silo;
using HallMonitor.Grains;
using HallMonitor.Silo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace HallMonitor.Bench.Reports;

/// <summary>
/// A year of one busy hall in the journal (about 300,000 events), then: how long the silo takes to start on
/// it, how long the report projection takes to build its ticket facts, and how long a one-month summary takes
/// once they are built (the target: under a second).
/// </summary>
public static class ReportsDriver
{
    public static async Task<int> RunAsync(IConfiguration options)
    {
        var ticketsPerDay = options.GetValue("tickets-per-day", 240);
        var months = options.GetValue("reports", 24);
        Console.WriteLine(Machine.Describe());

        var halls = GeneratedHalls.ServiceHall(windows: 16, comprehensive: 4, sectors: 8, mattersPerSector: 3);
        var hall = new Hall(halls.Halls[0]);
        var folder = Directory.CreateTempSubdirectory("hallmonitor-bench-").FullName;
        var today = hall.ServiceDay(DateTimeOffset.UtcNow);

        var written = Stopwatch.StartNew();
        long events = 0;
        var store = new SqliteStore(Path.Combine(folder, "data", "hallmonitor.db"), "normal", NullLogger<SqliteStore>.Instance);
        var journal = new SqliteJournalStore(store);
        foreach (var day in new YearOfJournal(hall, ticketsPerDay, seed: 2026).Days(today.AddDays(-365), today.AddDays(-1)))
        {
            await journal.AppendAsync(day, store.Epoch, () => { });
            events += day.Count;
        }

        await store.DisposeAsync();
        Console.WriteLine($"journal: {YearOfJournal.Format(events)} events over a year ({ticketsPerDay} tickets per working day), written in {written.Elapsed.TotalSeconds:0.0} s");

        var started = Stopwatch.StartNew();
        await using var silo = await BenchSilo.StartAsync(halls, "sqlite", options, folder);
        Console.WriteLine($"silo start on that journal (the hall replays it into its projection): {started.Elapsed.TotalSeconds:0.00} s");

        var reports = silo.Grains.GetGrain<IReportGrain>(GeneratedHalls.HallId);
        var lastMonth = (From: new DateOnly(today.Year, today.Month, 1).AddMonths(-1), To: new DateOnly(today.Year, today.Month, 1).AddDays(-1));
        var projected = Stopwatch.StartNew();
        var first = await reports.GetSummaryAsync(lastMonth.From, lastMonth.To, ReportGrouping.Matter);
        Console.WriteLine($"first report, building the ticket facts of the whole year: {projected.Elapsed.TotalSeconds:0.00} s (facts at event {YearOfJournal.Format(first.Seq)})");

        var timings = new List<double>();
        var groupings = Enum.GetValues<ReportGrouping>();
        for (var i = 0; i < months; i++)
        {
            var from = lastMonth.From.AddMonths(-(i % 11));
            var timed = Stopwatch.StartNew();
            var report = await reports.GetSummaryAsync(from, from.AddMonths(1).AddDays(-1), groupings[i % groupings.Length]);
            timings.Add(timed.Elapsed.TotalMilliseconds);
            if (i == 0)
            {
                Console.WriteLine($"one month ({from:yyyy-MM}) by {report.GroupBy}: {report.Rows.Count} rows, {YearOfJournal.Format(report.Rows.Sum(r => r.Issued))} tickets");
            }
        }

        timings.Sort();
        Console.WriteLine($"one-month summary ({months} reports, every grouping): p50 {timings[timings.Count / 2]:0.0} ms, max {timings[^1]:0.0} ms");

        var yearTimed = Stopwatch.StartNew();
        var year = await reports.GetSummaryAsync(today.AddDays(-365), today.AddDays(-1), ReportGrouping.Day);
        Console.WriteLine($"whole-year summary by day: {yearTimed.Elapsed.TotalMilliseconds:0} ms, {year.Rows.Count} rows, {YearOfJournal.Format(year.Rows.Sum(r => r.Issued))} tickets");

        // Staffing advice: the first request learns the past 8 weeks from the facts, the next ones reuse them.
        var forecasts = silo.Grains.GetGrain<IForecastGrain>(GeneratedHalls.HallId);
        var learnt = Stopwatch.StartNew();
        var forecast = await forecasts.GetForecastAsync(12);
        Console.WriteLine($"first 12-hour staffing forecast, learning 8 weeks: {learnt.Elapsed.TotalMilliseconds:0} ms ({forecast.Sectors.Count} sectors, basis {forecast.Sectors[0].Staffing[0].Basis}, {forecast.Sectors[0].Staffing[0].Days} days)");
        var again = new List<double>();
        for (var i = 0; i < months; i++)
        {
            var timed = Stopwatch.StartNew();
            await forecasts.GetForecastAsync(4 + (i % 9));
            again.Add(timed.Elapsed.TotalMilliseconds);
        }

        again.Sort();
        Console.WriteLine($"staffing forecast once learnt ({months} requests, 4–12 hours): p50 {again[again.Count / 2]:0.0} ms, max {again[^1]:0.0} ms");
        return 0;
    }
}
