using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using HallMonitor.Bench.Silo;

namespace HallMonitor.Bench.Calls;

/// <summary>
/// One call through a generated Orleans grain reference, to a grain of a silo in this process, against the
/// same method on a plain object, for a grain method that completes synchronously and for one that completes later.
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
    private const int Calls = 1000;

    private readonly IAdderGrain _plain = new PlainAdder();
    private BenchSilo _silo = null!;
    private IGrainFactory _grains = null!;
    private IAdderGrain _grain = null!;
    private IReentrantAdderGrain _reentrant = null!;
    private Task _held = null!;

    // Blocking, not async: the in-process toolchain does not await an async global set-up or clean-up
    // (BenchmarkDotNet issue 1738), and the silo takes a while to start.
    [GlobalSetup]
    public void SetUp() => SetUpAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void CleanUp() => CleanUpAsync().GetAwaiter().GetResult();

    // Every benchmark awaits its calls one after another in a loop rather than blocking on them one by one:
    // an Orleans call never completes synchronously for its caller (the response comes back through the
    // silo's messaging), and a blocking wait measures how fast a sleeping pool thread wakes up, not the call.
    [Benchmark(Baseline = true, Description = "plain object", OperationsPerInvoke = Calls)]
    [BenchmarkCategory(Synchronous)]
    public async Task DirectAdd()
    {
        for (var i = 0; i < Calls; i++)
        {
            await _plain.AddAsync(1);
        }
    }

    [Benchmark(Description = "grain reference", OperationsPerInvoke = Calls)]
    [BenchmarkCategory(Synchronous)]
    public async Task GrainAdd()
    {
        for (var i = 0; i < Calls; i++)
        {
            await _grain.AddAsync(1);
        }
    }

    [Benchmark(Description = "GetGrain + call", OperationsPerInvoke = Calls)]
    [BenchmarkCategory(Synchronous)]
    public async Task FactoryGrainAdd()
    {
        for (var i = 0; i < Calls; i++)
        {
            await _grains.GetGrain<IAdderGrain>(0).AddAsync(1);
        }
    }

    [Benchmark(Baseline = true, Description = "plain object", OperationsPerInvoke = Calls)]
    [BenchmarkCategory(Later)]
    public async Task DirectAddLater()
    {
        for (var i = 0; i < Calls; i++)
        {
            await _plain.AddLaterAsync(1);
        }
    }

    [Benchmark(Description = "grain reference", OperationsPerInvoke = Calls)]
    [BenchmarkCategory(Later)]
    public async Task GrainAddLater()
    {
        for (var i = 0; i < Calls; i++)
        {
            await _grain.AddLaterAsync(1);
        }
    }

    [Benchmark(Baseline = true, Description = "plain object", OperationsPerInvoke = Calls)]
    [BenchmarkCategory(Held)]
    public async Task DirectAddWhileHeld()
    {
        for (var i = 0; i < Calls; i++)
        {
            await _plain.AddAsync(1);
        }
    }

    [Benchmark(Description = "grain reference", OperationsPerInvoke = Calls)]
    [BenchmarkCategory(Held)]
    public async Task ReentrantAddWhileHeld()
    {
        for (var i = 0; i < Calls; i++)
        {
            await _reentrant.AddAsync(1);
        }
    }

    private async Task SetUpAsync()
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

    private async Task CleanUpAsync()
    {
        await _reentrant.ReleaseAsync();
        await _held;
        await _silo.DisposeAsync();
    }
}
