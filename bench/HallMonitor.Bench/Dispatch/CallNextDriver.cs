using System.Diagnostics;
using System.Globalization;
using HallMonitor.Bench.Silo;
using HallMonitor.Grains;
using Microsoft.Extensions.Configuration;

namespace HallMonitor.Bench.Dispatch;

/// <summary>
/// The time of one call-next at a comprehensive window (<c>["*"]</c>) while 10,000 tickets wait, spread
/// over 10, 100 or 1,000 matters: the dispatch look-up, the take and its journal append, on memory storage
/// (dispatch alone) and on SQLite (with the fsync).
/// </summary>
public static class CallNextDriver
{
    private const int Waiting = 10_000;
    private static readonly int[] MatterCounts = [10, 100, 1_000];

    public static async Task<int> RunAsync(IConfiguration options)
    {
        var samples = options.GetValue("samples", 3_000);
        var warmup = options.GetValue("warmup", 300);
        Console.WriteLine(Machine.Describe());
        Console.WriteLine($"{Waiting:N0} tickets waiting, spread evenly over the matters, kept at {Waiting:N0}: after each measured call-next the ticket is");
        Console.WriteLine($"marked a no-show and a new one is issued for its matter, both outside the measured time; {warmup:N0} warm-up calls, then {samples:N0} measured");
        foreach (var storage in new[] { "memory", "sqlite" })
        {
            Console.WriteLine();
            Console.WriteLine(storage == "memory" ? "Memory journal store (dispatch alone)" : "SQLite journal store (synchronous=FULL unless overridden)");
            Console.WriteLine();
            Console.WriteLine("| matters | mean | p50 | p90 | p99 |");
            Console.WriteLine("|--------:|-----:|----:|----:|----:|");
            foreach (var matters in MatterCounts)
            {
                var times = await MeasureAsync(matters, storage, options, warmup, samples);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {matters,7:N0} | {times.Average(),7:N1} µs | {Percentile(times, 0.5),7:N1} µs | {Percentile(times, 0.9),7:N1} µs | {Percentile(times, 0.99),7:N1} µs |"));
            }
        }

        return 0;
    }

    private static async Task<List<double>> MeasureAsync(int matters, string storage, IConfiguration options, int warmup, int samples)
    {
        var halls = GeneratedHalls.OneComprehensiveWindow(matters);
        var codes = halls.Halls[0].Matters.Select(m => m.Code).ToArray();
        await using var silo = await BenchSilo.StartAsync(halls, storage, options);
        var window = silo.Window(GeneratedHalls.WindowId(0));
        await window.OpenAsync("clerk01");
        await Parallel.ForEachAsync(
            Enumerable.Range(0, Waiting),
            new ParallelOptions { MaxDegreeOfParallelism = 64 },
            async (i, _) => await silo.Matter(codes[i % codes.Length]).IssueAsync(TicketChannel.Kiosk, priority: false, "kiosk"));

        var times = new List<double>(samples);
        for (var i = 0; i < warmup + samples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var called = await window.CallNextAsync() ?? throw new InvalidOperationException("Nobody was waiting.");
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (i >= warmup)
            {
                times.Add(elapsed.TotalMicroseconds);
            }

            await window.NoShowAsync();
            await silo.Matter(called.Matter).IssueAsync(TicketChannel.Kiosk, priority: false, "kiosk");
        }

        times.Sort();
        return times;
    }

    private static double Percentile(List<double> sorted, double share) => sorted[Math.Min(sorted.Count - 1, (int)(share * sorted.Count))];
}
