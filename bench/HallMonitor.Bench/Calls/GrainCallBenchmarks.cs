using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using HallMonitor.Bench.Silo;

namespace HallMonitor.Bench.Calls;

/// <summary>
/// One call through a generated Orleans grain reference, to a grain of a silo in this process, against the
/// same method on a plain object, for a method that completes synchronously and for one that completes later.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "BenchmarkDotNet disposes the silo in the global clean-up.")]
public class GrainCallBenchmarks
{
    private const string Synchronous = "completes synchronously";
    private const string Later = "completes later (Task.Yield)";
    private const string Held = "reentrant grain, another request in flight";
    private const int LaterCalls = 1000;

    private readonly IAdderGrain _plain = new PlainAdder();
    private BenchSilo _silo = null!;
    private IGrainFactory _grains = null!;
    private IAdderGrain _grain = null!;
    private IReentrantAdderGrain _reentrant = null!;
    private Task _held = null!;

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        _silo = await BenchSilo.StartBareAsync();
        _grains = _silo.Grains;
        _grain = _grains.GetGrain<IAdderGrain>(0);
        await _grain.AddAsync(0);

        // The hall grain is reentrant and nearly always has an issue waiting for its commit; so does this one.
        _reentrant = _grains.GetGrain<IReentrantAdderGrain>(0);
        _held = _reentrant.HoldAsync();
        await _reentrant.AddAsync(0);
    }

    [GlobalCleanup]
    public async Task CleanUpAsync()
    {
        await _reentrant.ReleaseAsync();
        await _held;
        await _silo.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "plain object")]
    [BenchmarkCategory(Synchronous)]
    public Task<int> DirectAdd() => _plain.AddAsync(1);

    [Benchmark(Description = "grain reference")]
    [BenchmarkCategory(Synchronous)]
    public Task<int> GrainAdd() => _grain.AddAsync(1);

    [Benchmark(Description = "GetGrain + call")]
    [BenchmarkCategory(Synchronous)]
    public Task<int> FactoryGrainAdd() => _grains.GetGrain<IAdderGrain>(0).AddAsync(1);

    // Awaited one after another in a loop rather than blocked on one by one: a blocking wait measures how
    // fast a sleeping pool thread wakes up, not what the call costs.
    [Benchmark(Baseline = true, Description = "plain object", OperationsPerInvoke = LaterCalls)]
    [BenchmarkCategory(Later)]
    public async Task DirectAddLater()
    {
        for (var i = 0; i < LaterCalls; i++)
        {
            await _plain.AddLaterAsync(1);
        }
    }

    [Benchmark(Description = "grain reference", OperationsPerInvoke = LaterCalls)]
    [BenchmarkCategory(Later)]
    public async Task GrainAddLater()
    {
        for (var i = 0; i < LaterCalls; i++)
        {
            await _grain.AddLaterAsync(1);
        }
    }

    [Benchmark(Baseline = true, Description = "plain object", OperationsPerInvoke = LaterCalls)]
    [BenchmarkCategory(Held)]
    public async Task DirectAddWhileHeld()
    {
        for (var i = 0; i < LaterCalls; i++)
        {
            await _plain.AddAsync(1);
        }
    }

    [Benchmark(Description = "grain reference", OperationsPerInvoke = LaterCalls)]
    [BenchmarkCategory(Held)]
    public async Task ReentrantAddWhileHeld()
    {
        for (var i = 0; i < LaterCalls; i++)
        {
            await _reentrant.AddAsync(1);
        }
    }
}
