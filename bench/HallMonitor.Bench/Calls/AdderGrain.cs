namespace HallMonitor.Bench.Calls;

/// <summary>The smallest useful grain: a running sum.</summary>
[Alias("bench.adder")]
public interface IAdderGrain : IGrainWithIntegerKey
{
    /// <summary>Completes synchronously: the cost of a call and nothing else.</summary>
    [Alias("add")]
    Task<int> AddAsync(int value);

    /// <summary>Yields first, so the call completes later, after a trip through the scheduler.</summary>
    [Alias("add-later")]
    Task<int> AddLaterAsync(int value);
}

/// <summary>The sum as an Orleans grain, reached through a generated reference.</summary>
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

/// <summary>The same sum as a plain object: what a call costs without Orleans.</summary>
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

/// <summary>A reentrant sum, like the hall grain: a request parked at an await does not hold it.</summary>
[Alias("bench.reentrant-adder")]
public interface IReentrantAdderGrain : IGrainWithIntegerKey
{
    [Alias("add")]
    Task<int> AddAsync(int value);

    /// <summary>Stays in flight until <see cref="ReleaseAsync"/>, as an issue waiting for its commit does.</summary>
    /// <remarks>Longer than the silo's response timeout: a suite holds it for minutes.</remarks>
    [Alias("hold")]
    [ResponseTimeout("01:00:00")]
    Task HoldAsync();

    [Alias("release")]
    Task ReleaseAsync();
}

/// <summary>The reentrant sum as a grain. Reentrant so that the held request does not block the others.</summary>
[Reentrant]
public sealed class ReentrantAdderGrain : Grain, IReentrantAdderGrain
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _sum;

    public Task<int> AddAsync(int value) => Task.FromResult(_sum += value);

    public Task HoldAsync() => _released.Task;

    public Task ReleaseAsync()
    {
        _released.TrySetResult();
        return Task.CompletedTask;
    }
}
