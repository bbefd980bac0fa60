namespace HallMonitor.Runtime.Tests;

public interface ICounterGrain : IGrainWithStringKey
{
    /// <summary>Reads, awaits, then writes: loses updates if turns ever overlap.</summary>
    Task<int> IncrementAsync();

    Task AppendAsync(int value);

    Task<IReadOnlyList<int>> GetAppendedAsync();

    Task<int> GetMaxConcurrencyAsync();

    Task<bool> ContinuesOnActivationAsync(Task pending);

    Task<int> AddAsync(int value);

    ValueTask<int> GetValueAsync();

    ValueTask ResetAsync();
}

public sealed class CounterGrain : Grain, ICounterGrain
{
    private readonly List<int> _appended = [];
    private int _value;
    private int _active;
    private int _maxActive;

    public async Task<int> IncrementAsync()
    {
        Enter();
        var value = _value;

        // Completes on another thread a moment later, so that an interleaving runtime would start other requests meanwhile.
        await Task.Run(static () => { });
        _value = value + 1;
        Leave();
        return _value;
    }

    public async Task AppendAsync(int value)
    {
        Enter();
        await Task.Yield();
        _appended.Add(value);
        Leave();
    }

    public Task<IReadOnlyList<int>> GetAppendedAsync() => Task.FromResult<IReadOnlyList<int>>([.. _appended]);

    public Task<int> GetMaxConcurrencyAsync() => Task.FromResult(_maxActive);

    public async Task<bool> ContinuesOnActivationAsync(Task pending)
    {
        var before = SynchronizationContext.Current;
        await pending;
        return before is not null && ReferenceEquals(before, SynchronizationContext.Current);
    }

    public Task<int> AddAsync(int value) => Task.FromResult(_value += value);

    public ValueTask<int> GetValueAsync() => ValueTask.FromResult(_value);

    public ValueTask ResetAsync()
    {
        _value = 0;
        return ValueTask.CompletedTask;
    }

    private void Enter()
    {
        var active = Interlocked.Increment(ref _active);
        _maxActive = Math.Max(_maxActive, active);
    }

    private void Leave() => Interlocked.Decrement(ref _active);
}

public interface IGateGrain : IGrainWithStringKey
{
    /// <summary>Logs, waits for the gate, logs again.</summary>
    Task HoldAsync(string name, Task gate);

    [ReadOnly]
    Task ReadAsync(string name, Task gate);

    [AlwaysInterleave]
    Task<string> PingAsync();

    Task<string> CallBackThroughAsync(string otherKey, bool interleaving);

    Task ThrowAsync(string message);

    Task ThrowSynchronously(string message);

    Task<Guid> GetInstanceAsync();

    Task DeactivateAsync();

    Task StartTimerAsync(TimeSpan period, Task? callbackGate);

    Task StopTimerAsync();

    Task<int> GetTicksAsync();
}

public sealed class GateGrain(EventLog log) : Grain, IGateGrain
{
    private readonly Guid _instance = Guid.NewGuid();
    private IGrainTimer? _timer;
    private int _ticks;

    public async Task HoldAsync(string name, Task gate)
    {
        log.Add($"{name}:start");
        await gate;
        log.Add($"{name}:end");
    }

    public async Task ReadAsync(string name, Task gate)
    {
        log.Add($"{name}:start");
        await gate;
        log.Add($"{name}:end");
    }

    public Task<string> PingAsync() => Task.FromResult($"pong from {GetPrimaryKeyString()}");

    public Task<string> CallBackThroughAsync(string otherKey, bool interleaving) =>
        GrainFactory.GetGrain<IRelayGrain>(otherKey).RelayAsync(GetPrimaryKeyString(), interleaving);

    public async Task ThrowAsync(string message)
    {
        await Task.Yield();
        throw new InvalidOperationException(message);
    }

    public Task ThrowSynchronously(string message) => throw new ArgumentException(message);

    public Task<Guid> GetInstanceAsync() => Task.FromResult(_instance);

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task StartTimerAsync(TimeSpan period, Task? callbackGate)
    {
        _timer = RegisterGrainTimer(
            async _ =>
            {
                _ticks++;
                log.Add($"tick{_ticks}:start");
                if (callbackGate is not null)
                {
                    await callbackGate;
                }

                log.Add($"tick{_ticks}:end");
            },
            period,
            period);
        return Task.CompletedTask;
    }

    public Task StopTimerAsync()
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public Task<int> GetTicksAsync() => Task.FromResult(_ticks);
}

public interface IRelayGrain : IGrainWithStringKey
{
    Task<string> RelayAsync(string gateKey, bool interleaving);

    Task<string> EchoThroughAsync(string reentrantKey, string text);
}

public sealed class RelayGrain : Grain, IRelayGrain
{
    public Task<string> RelayAsync(string gateKey, bool interleaving)
    {
        var gate = GrainFactory.GetGrain<IGateGrain>(gateKey);
        return interleaving ? gate.PingAsync() : gate.GetInstanceAsync().ContinueWith(t => t.Result.ToString(), TaskScheduler.Default);
    }

    public Task<string> EchoThroughAsync(string reentrantKey, string text) =>
        GrainFactory.GetGrain<IReentrantGrain>(reentrantKey).EchoAsync(text);
}

[Reentrant]
public sealed class ReentrantGrain(EventLog log) : Grain, IReentrantGrain
{
    public async Task HoldAsync(string name, Task gate)
    {
        log.Add($"{name}:start");
        await gate;
        log.Add($"{name}:end");
    }

    public Task<string> EchoAsync(string text) => Task.FromResult(text);

    public async Task<string> DeactivateAwaitingACallBackAsync(string relayKey)
    {
        DeactivateOnIdle();
        return await GrainFactory.GetGrain<IRelayGrain>(relayKey).EchoThroughAsync(GetPrimaryKeyString(), "back");
    }
}

public interface IReentrantGrain : IGrainWithStringKey
{
    Task HoldAsync(string name, Task gate);

    Task<string> EchoAsync(string text);

    /// <summary>Asks for deactivation, then waits for a call that comes back into this grain.</summary>
    Task<string> DeactivateAwaitingACallBackAsync(string relayKey);
}

public sealed class ProfileState
{
    public string Name { get; set; } = "";

    public int Visits { get; set; }
}

public interface IProfileGrain : IGrainWithStringKey
{
    Task<ProfileState> VisitAsync(string name);

    Task<ProfileState> GetAsync();

    Task<string?> GetEtagAsync();

    Task ClearAsync();
}

public sealed class ProfileGrain(EventLog log, [PersistentState("profile")] IPersistentState<ProfileState> profile) : Grain, IProfileGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        log.Add($"activate:{GetPrimaryKeyString()}:{profile.State.Visits}");
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        log.Add($"deactivate:{GetPrimaryKeyString()}:{reason}");
        return Task.CompletedTask;
    }

    public async Task<ProfileState> VisitAsync(string name)
    {
        profile.State.Name = name;
        profile.State.Visits++;
        await profile.WriteStateAsync();
        return profile.State;
    }

    public Task<ProfileState> GetAsync() => Task.FromResult(profile.State);

    public Task<string?> GetEtagAsync() => Task.FromResult(profile.Etag);

    public Task ClearAsync() => profile.ClearStateAsync();
}

public interface IFailingGrain : IGrainWithStringKey
{
    Task<string> HelloAsync();
}

public sealed class FailingGrain(EventLog log) : Grain, IFailingGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var attempt = log.Entries.Count(e => e == "activation-attempt") + 1;
        log.Add("activation-attempt");
        return attempt == 1 ? throw new InvalidOperationException("storage unavailable") : Task.CompletedTask;
    }

    public Task<string> HelloAsync() => Task.FromResult("hello");
}
