using System.Diagnostics;
using System.Globalization;
using HallMonitor.Bench.Silo;
using Microsoft.Extensions.Configuration;

namespace HallMonitor.Bench.Calls;

/// <summary>
/// Orleans grain calls per second with 1, 2, 4 and 64 concurrent callers in the silo's process, each calling
/// its own grains (many grains) or all calling the same one (one hot grain).
/// </summary>
public static class CallsDriver
{
    private const int Grains = 10_240;

    // A caller gives its thread back this often, so that 64 callers share two cores turn by turn instead
    // of by the thread pool injecting threads for loops that never yield.
    private const int CallsPerSlice = 256;

    private static readonly int[] CallerCounts = [1, 2, 4, 64];

    public static async Task<int> RunAsync(IConfiguration options)
    {
        var duration = TimeSpan.FromSeconds(options.GetValue("seconds", 5.0));
        await using var silo = await BenchSilo.StartBareAsync();
        var grains = Enumerable.Range(0, Grains).Select(i => silo.Grains.GetGrain<IAdderGrain>(i)).ToArray();
        foreach (var grain in grains)
        {
            await grain.AddAsync(0);
        }

        Console.WriteLine(Machine.Describe());
        Console.WriteLine($"{duration.TotalSeconds:0.#} s per run, {Grains:N0} grains activated beforehand");
        await MeasureAsync(grains, callers: 2, Shape.ManyGrains, Method.Add, TimeSpan.FromSeconds(2));

        foreach (var method in new[] { Method.Add, Method.AddLater })
        {
            Console.WriteLine();
            Console.WriteLine(method == Method.Add ? "AddAsync (completes synchronously)" : "AddLaterAsync (awaits Task.Yield)");
            Console.WriteLine();
            Console.WriteLine("| callers | many grains (calls/s) | one hot grain (calls/s) |");
            Console.WriteLine("|--------:|----------------------:|------------------------:|");
            foreach (var callers in CallerCounts)
            {
                var many = await MeasureAsync(grains, callers, Shape.ManyGrains, method, duration);
                var hot = await MeasureAsync(grains, callers, Shape.OneHotGrain, method, duration);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {callers,7} | {many,21:N0} | {hot,23:N0} |"));
            }
        }

        return 0;
    }

    private static async Task<double> MeasureAsync(IAdderGrain[] grains, int callers, Shape shape, Method method, TimeSpan duration)
    {
        var counts = new PaddedCounters(callers);
        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, callers)
            .Select(caller => Task.Run(() => CallAsync(Targets(grains, callers, caller, shape), method, counts, caller, stop.Token)))
            .ToArray();

        // The first half second lets the callers reach full speed.
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var before = counts.Sum();
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(duration);
        var calls = counts.Sum() - before;
        var elapsed = Stopwatch.GetElapsedTime(started);
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        return calls / elapsed.TotalSeconds;
    }

    /// <summary>Many grains: each caller its own slice, so no two callers meet on a grain. Hot: one grain for all.</summary>
    private static IAdderGrain[] Targets(IAdderGrain[] grains, int callers, int caller, Shape shape) =>
        shape == Shape.OneHotGrain ? [grains[0]] : [.. grains.Where((_, i) => i % callers == caller)];

    private static async Task CallAsync(IAdderGrain[] targets, Method method, PaddedCounters counts, int caller, CancellationToken stop)
    {
        var next = 0;
        while (!stop.IsCancellationRequested)
        {
            for (var i = 0; i < CallsPerSlice; i++)
            {
                var grain = targets[next];
                next = next + 1 == targets.Length ? 0 : next + 1;
                await (method == Method.Add ? grain.AddAsync(1) : grain.AddLaterAsync(1));
            }

            counts.Add(caller, CallsPerSlice);
            await Task.Yield();
        }
    }

    private enum Shape
    {
        ManyGrains,
        OneHotGrain,
    }

    private enum Method
    {
        Add,
        AddLater,
    }

    /// <summary>One counter per caller, a cache line apart, so that counting does not make the callers contend.</summary>
    private sealed class PaddedCounters(int callers)
    {
        private const int Stride = 16;
        private readonly long[] _counts = new long[callers * Stride];

        public void Add(int caller, long calls) => Volatile.Write(ref _counts[caller * Stride], _counts[caller * Stride] + calls);

        public long Sum()
        {
            var sum = 0L;
            for (var i = 0; i < _counts.Length; i += Stride)
            {
                sum += Volatile.Read(ref _counts[i]);
            }

            return sum;
        }
    }
}
