using HallMonitor.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace HallMonitor.Bench.Calls;

/// <summary>A grain runtime hosting only the adder grains, with the default options and the system clock.</summary>
public sealed class AdderRuntime : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public AdderRuntime()
    {
        var services = new ServiceCollection();
        services.AddGrainRuntime(configure: null, typeof(AdderGrain).Assembly);
        _services = services.BuildServiceProvider();
        Runtime = _services.GetRequiredService<GrainRuntime>();
        Runtime.Start();
    }

    public GrainRuntime Runtime { get; }

    public IAdderGrain Adder(string key) => Runtime.GetGrain<IAdderGrain>(key);

    public IReentrantAdderGrain ReentrantAdder(string key) => Runtime.GetGrain<IReentrantAdderGrain>(key);

    public async ValueTask DisposeAsync()
    {
        await Runtime.StopAsync();
        await _services.DisposeAsync();
    }
}
