using System.Diagnostics;
using HallMonitor.Grains;
using HallMonitor.Testing;
using HallMonitor.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HallMonitor.Bench.Forecasts;

/// <summary>
/// Backtest of the predicted calls and the predicted-overtime cards on simulated service days: the product runs its
/// day simulator (<c>HallMonitor:Simulate</c>) on the demo halls; every sampled minute of simulated time the driver
/// asks each hall for its prediction, and at the end compares each predicted call with the real one in the journal,
/// beside the kiosk's formula (people ahead × average handling time ÷ open windows of the matter) on the same
/// samples. Then it checks each <c>waitPredicted</c> card against what happened: did the ticket really wait past its
/// target, and how long before that moment did the card come.
/// </summary>
public static class BacktestDriver
{
    private static readonly TimeOnly End = new(18, 5);

    public static async Task<int> RunAsync(IConfiguration options)
    {
        var speed = options.GetValue("speed", 120.0);
        var days = options.GetValue("days", 1);
        var seed = options.GetValue("seed", 1);
        var sample = TimeSpan.FromSeconds(options.GetValue("sample", 60));
        Console.WriteLine(Machine.Describe());
        Console.WriteLine($"backtest: {days} simulated day(s) of the demo halls at ×{speed}, a prediction sampled every {sample.TotalSeconds:0} s of simulated time");

        var samples = new List<Sample>();
        var outcomes = new List<CardOutcome>();
        var late = 0;
        var lateWithCard = 0;
        for (var day = 0; day < days; day++)
        {
            var result = await RunDayAsync(speed, seed + day, sample, day + 1);
            samples.AddRange(result.Samples);
            outcomes.AddRange(result.Cards);
            late += result.Late;
            lateWithCard += result.LateWithCard;
        }

        Console.WriteLine();
        Console.WriteLine("predicted call vs the real call (minutes), by how far ahead the call was predicted:");
        Console.WriteLine($"  {"ahead",-10} {"samples",8}   {"play-forward: MAE",18} {"p90",6} {"bias",6}   {"kiosk formula: MAE",19} {"p90",6} {"bias",6}");
        foreach (var (label, from, to) in new[] { ("0–10 min", 0.0, 10.0), ("10–30", 10.0, 30.0), ("30–60", 30.0, 60.0), ("60+", 60.0, double.MaxValue), ("all", 0.0, double.MaxValue) })
        {
            var bucket = samples.Where(s => s.AheadMinutes >= from && s.AheadMinutes < to).ToList();
            if (bucket.Count == 0)
            {
                continue;
            }

            var model = Errors(bucket.Select(s => s.ModelError));
            var kiosk = Errors(bucket.Select(s => s.KioskError));
            Console.WriteLine($"  {label,-10} {bucket.Count,8}   {model.Mae,18:0.0} {model.P90,6:0.0} {model.Bias,6:+0.0;-0.0}   {kiosk.Mae,19:0.0} {kiosk.P90,6:0.0} {kiosk.Bias,6:+0.0;-0.0}");
        }

        var cameTrue = outcomes.Where(o => o.CameTrue).ToList();
        var leads = cameTrue.Select(o => o.LeadMinutes).Order().ToList();
        Console.WriteLine();
        Console.WriteLine($"waitPredicted cards: {outcomes.Count}; the ticket really waited past its target: {cameTrue.Count} ({Percent(cameTrue.Count, outcomes.Count)})");
        if (leads.Count > 0)
        {
            Console.WriteLine($"  lead before the real overtime (minutes): p10 {At(leads, 0.1):0.0}, p50 {At(leads, 0.5):0.0}, p90 {At(leads, 0.9):0.0}, min {leads[0]:0.0}");
        }

        Console.WriteLine($"tickets that really waited past their target: {late}; with a predicted card before: {lateWithCard} ({Percent(lateWithCard, late)})");
        return 0;
    }

    private static async Task<DayResult> RunDayAsync(double speed, int seed, TimeSpan sample, int day)
    {
        await using var host = new SimulatedProduct(speed, seed);
        using var client = host.CreateClient();
        var services = host.Services;
        var grains = services.GetRequiredService<Orleans.IGrainFactory>();
        var catalog = services.GetRequiredService<HallCatalog>();
        var clock = services.GetRequiredService<TimeProvider>();
        var halls = catalog.Halls.ToList();
        var predictions = new List<(string Hall, HallPrediction Prediction)>();
        var watch = Stopwatch.StartNew();
        Console.WriteLine($"day {day} (seed {seed}): {halls.Count} halls, simulating…");
        var next = clock.GetUtcNow();
        while (TimeOnly.FromDateTime(halls[0].LocalTime(clock.GetUtcNow()).DateTime) < End)
        {
            foreach (var hall in halls)
            {
                predictions.Add((hall.Id, await grains.GetHall(hall.Id).PredictAsync(withTickets: true)));
            }

            next += sample;
            var wait = (next - clock.GetUtcNow()) / speed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            if (watch.Elapsed > TimeSpan.FromSeconds(15) && (int)watch.Elapsed.TotalSeconds % 30 == 0)
            {
                Console.WriteLine($"  simulated {halls[0].LocalTime(clock.GetUtcNow()):HH:mm} after {watch.Elapsed.TotalSeconds:0} s");
            }
        }

        var store = services.GetRequiredService<IJournalStore>();
        var samples = new List<Sample>();
        var cards = new List<CardOutcome>();
        var late = 0;
        var lateWithCard = 0;
        foreach (var hall in halls)
        {
            var journal = await ReadAllAsync(store, hall.Id);
            var called = journal.Where(r => r.Event is TicketCalled).ToDictionary(r => ((TicketCalled)r.Event).TicketId, r => r.At);
            var issued = journal.Where(r => r.Event is TicketIssued).ToDictionary(r => ((TicketIssued)r.Event).TicketId, r => (At: r.At, Matter: ((TicketIssued)r.Event).Matter));
            var left = journal.Where(r => r.Event is TicketCancelled or TicketExpired { Window: null })
                .ToDictionary(r => ((ITicketEvent)r.Event).TicketId, r => r.At);
            foreach (var (_, prediction) in predictions.Where(p => p.Hall == hall.Id))
            {
                foreach (var matter in prediction.Matters)
                {
                    var ahead = 0;
                    foreach (var ticket in matter.Tickets ?? [])
                    {
                        ahead++;
                        if (ticket.CallAt is not { } predicted || !called.TryGetValue(ticket.TicketId, out var actual) || matter.ServingWindows == 0)
                        {
                            continue;
                        }

                        var kiosk = prediction.At + TimeSpan.FromSeconds(WaitEstimate.Seconds(ahead - 1, matter.ServingWindows, matter.HandleSeconds));
                        samples.Add(new Sample(
                            (predicted - prediction.At).TotalMinutes,
                            (predicted - actual).TotalMinutes,
                            (kiosk - actual).TotalMinutes));
                    }
                }
            }

            var predictedCards = journal.Select(r => r.Event).OfType<AlertRaised>().Where(a => a.Alert.Kind == AlertKind.WaitPredicted).Select(a => a.Alert).ToList();
            foreach (var card in predictedCards)
            {
                var overtimeAt = card.Since!.Value + TimeSpan.FromSeconds(card.Target);
                var end = called.TryGetValue(card.TicketId!, out var call) ? call : left.TryGetValue(card.TicketId!, out var gone) ? gone : DateTimeOffset.MaxValue;
                cards.Add(new CardOutcome(end >= overtimeAt, (overtimeAt - card.RaisedAt).TotalMinutes));
            }

            var withCard = predictedCards.Select(c => c.TicketId!).ToHashSet(StringComparer.Ordinal);
            foreach (var (ticketId, (at, matter)) in issued)
            {
                var target = TimeSpan.FromSeconds(hall.GetMatter(matter).WaitTargetSeconds);
                var end = called.TryGetValue(ticketId, out var call) ? call : left.TryGetValue(ticketId, out var gone) ? gone : clock.GetUtcNow();
                if (end - at >= target)
                {
                    late++;
                    lateWithCard += withCard.Contains(ticketId) ? 1 : 0;
                }
            }

            Console.WriteLine($"  {hall.Id}: {issued.Count} tickets, {called.Count} called, {predictedCards.Count} waitPredicted cards, {journal.Count} journal events");
        }

        Console.WriteLine($"day {day}: {watch.Elapsed.TotalSeconds:0} s, {predictions.Count} predictions sampled");
        return new DayResult(samples, cards, late, lateWithCard);
    }

    private static async Task<List<JournalRecord>> ReadAllAsync(IJournalStore store, string hallId)
    {
        var all = new List<JournalRecord>();
        while (true)
        {
            var page = await store.ReadAsync(hallId, new JournalQuery { AfterSeq = all.Count == 0 ? 0 : all[^1].Seq, Limit = 5000 });
            if (page.Count == 0)
            {
                return all;
            }

            all.AddRange(page);
        }
    }

    private static (double Mae, double P90, double Bias) Errors(IEnumerable<double> errors)
    {
        var list = errors.ToList();
        var absolute = list.Select(Math.Abs).Order().ToList();
        return (absolute.Average(), At(absolute, 0.9), list.Average());
    }

    private static double At(IReadOnlyList<double> sorted, double quantile) =>
        sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(quantile * sorted.Count) - 1)];

    private static string Percent(int part, int whole) => whole == 0 ? "–" : $"{part * 100.0 / whole:0}%";

    /// <summary>One waiting ticket at one sample: how far ahead its call was predicted, and both predictions' errors (minutes; positive = predicted later than it came).</summary>
    private sealed record Sample(double AheadMinutes, double ModelError, double KioskError);

    private sealed record CardOutcome(bool CameTrue, double LeadMinutes);

    private sealed record DayResult(List<Sample> Samples, List<CardOutcome> Cards, int Late, int LateWithCard);

    private static string WebFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "web", "halls.json")))
            {
                return Path.Combine(folder.FullName, "web");
            }
        }

        throw new InvalidOperationException("Run the backtest from a clone of the repository: web/halls.json (the demo halls) was not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The product in this process with its day simulator on, calling its own API through the test server.</summary>
    private sealed class SimulatedProduct(double speed, int seed) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // The demo halls file and calendars are the web project's content: found from the repository this runs in.
            builder.UseContentRoot(WebFolder());
            builder.UseSetting("HallMonitor:Simulate", speed.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("HallMonitor:SimulationSeed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseFreeSiloPorts();
            builder.ConfigureServices(services => services.AddSingleton<SimulationClientFactory>(sp => () => ((TestServer)sp.GetRequiredService<IServer>()).CreateClient()));
        }
    }
}
