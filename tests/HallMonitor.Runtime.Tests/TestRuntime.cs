using HallMonitor.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HallMonitor.Runtime.Tests;

/// <summary>A grain runtime over the test grains, a manual clock and in-memory storage.</summary>
internal sealed class TestRuntime : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public TestRuntime(Action<GrainRuntimeOptions>? configure = null)
    {
        Clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton(Log);
        services.AddGrainRuntime(configure, typeof(TestRuntime).Assembly);
        services.AddMemoryGrainStorage();
        _services = services.BuildServiceProvider();
        Runtime = _services.GetRequiredService<GrainRuntime>();
        Runtime.Start();
    }

    public ManualTimeProvider Clock { get; }

    public GrainRuntime Runtime { get; }

    public EventLog Log { get; } = new();

    public IGrainStorage Storage => _services.GetRequiredKeyedService<IGrainStorage>(GrainStorage.DefaultName);

    public T Grain<T>(string key)
        where T : IGrainWithStringKey
        => Runtime.GetGrain<T>(key);

    /// <summary>Stops the runtime; a grain that cannot deactivate (a test left it waiting) fails the test instead of hanging it.</summary>
    public async ValueTask DisposeAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Runtime.StopAsync(limit.Token);
        await _services.DisposeAsync();
    }
}

/// <summary>Records what grains did, in order, for assertions.</summary>
public sealed class EventLog
{
    private readonly Lock _lock = new();
    private readonly List<string> _entries = [];

    public void Add(string entry)
    {
        lock (_lock)
        {
            _entries.Add(entry);
        }
    }

    public IReadOnlyList<string> Entries
    {
        get
        {
            lock (_lock)
            {
                return [.. _entries];
            }
        }
    }
}

/// <summary>Waits, without the clock, until a condition becomes true on the thread pool.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string because)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                Assert.Fail($"Timed out waiting: {because}");
            }

            await Task.Yield();
        }
    }
}
