using BenchmarkDotNet.Attributes;
using HallMonitor.Bench.Silo;
using HallMonitor.Grains;

namespace HallMonitor.Bench.Dispatch;

/// <summary>
/// The hall's dispatch index on its own, without grains or a journal: what one call-next asks of it (the best
/// head for a comprehensive window, then that matter's new head) with 10, 100 or 1,000 matters waiting.
/// </summary>
[MemoryDiagnoser]
public class DispatchIndexBenchmarks
{
    private static readonly DateTimeOffset Morning = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(8));
    private DispatchIndex _index = null!;
    private long _seq;

    [Params(10, 100, 1_000)]
    public int Matters { get; set; }

    [GlobalSetup]
    public void SetUp()
    {
        var hall = new Hall(GeneratedHalls.OneComprehensiveWindow(Matters).Halls[0]);
        _index = new DispatchIndex(hall);
        foreach (var matter in hall.Matters)
        {
            _index.Update(matter.Code, NextHead());
        }
    }

    [Benchmark(Description = "best head + new head of its matter")]
    public DispatchCandidate? TakeBest()
    {
        var best = _index.Best(GeneratedHalls.WindowId(0))!;
        _index.Update(best.Matter, NextHead());
        return best;
    }

    /// <summary>A head issued a second after the previous one, so the queue keeps turning over.</summary>
    private QueueHead NextHead()
    {
        var seq = ++_seq;
        return new QueueHead($"20261123-A{seq:000000}", Priority: false, Morning.AddSeconds(seq), seq);
    }
}
