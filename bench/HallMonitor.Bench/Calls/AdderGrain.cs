using HallMonitor.Runtime;

namespace HallMonitor.Bench.Calls;

/// <summary>The smallest useful grain: a running sum.</summary>
public interface IAdderGrain : IGrainWithStringKey
{
    /// <summary>Completes synchronously: the cost of a call and nothing else.</summary>
    Task<int> AddAsync(int value);

    /// <summary>Yields first, so the call completes later, after a trip through the scheduler.</summary>
    Task<int> AddLaterAsync(int value);
}

/// <summary>The sum as a grain, reached through a generated reference.</summary>
public sealed class AdderGrain : Grain, IAdderGrain
{
    private int _sum;

    public Task<int> AddAsync(int value) => Task.FromResult(_sum += value);

    public async Task<int> AddLaterAsync(int value)
    {
        await Task.Yield();
        return _sum += value;
    }
}

/// <summary>The same sum as a plain object: what a call costs without the runtime.</summary>
public sealed class PlainAdder : IAdderGrain
{
    private int _sum;

    public Task<int> AddAsync(int value) => Task.FromResult(_sum += value);

    public async Task<int> AddLaterAsync(int value)
    {
        await Task.Yield();
        return _sum += value;
    }
}

/// <summary>A reentrant sum, like the hall grain: requests parked at an await do not hold it.</summary>
public interface IReentrantAdderGrain : IGrainWithStringKey
{
    Task<int> AddAsync(int value);

    /// <summary>Stays in flight until <paramref name="release"/> completes, as an issue waiting for its commit does.</summary>
    Task HoldAsync(Task release);
}

/// <summary>The reentrant sum as a grain.</summary>
[Reentrant]
public sealed class ReentrantAdderGrain : Grain, IReentrantAdderGrain
{
    private int _sum;

    public Task<int> AddAsync(int value) => Task.FromResult(_sum += value);

    public async Task HoldAsync(Task release) => await release;
}
