namespace HallMonitor.Runtime;

/// <summary>
/// Base class of grain implementations. The runtime creates the instance on the first call, runs
/// <see cref="OnActivateAsync"/>, and from then on delivers one turn at a time.
/// </summary>
public abstract class Grain
{
    private readonly GrainActivation _activation;

    protected Grain()
    {
        _activation = GrainActivation.Constructing
            ?? throw new InvalidOperationException("Grains are created by the grain runtime, not with 'new'.");
    }

    public GrainId GrainId => _activation.GrainId;

    protected IGrainFactory GrainFactory => _activation.Runtime;

    protected IServiceProvider ServiceProvider => _activation.Runtime.Services;

    public string GetPrimaryKeyString() => _activation.GrainId.Key;

    /// <summary>Runs before the first request, after persistent state has been loaded.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs when the activation is collected or the runtime stops; not on a crash.</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deactivates this activation as soon as no request is in flight; the next call activates it afresh.</summary>
    protected void DeactivateOnIdle() => _activation.RequestDeactivation(DeactivationReason.ApplicationRequested);

    /// <summary>A reference to this grain, for passing to others.</summary>
    protected TGrainInterface AsReference<TGrainInterface>()
        where TGrainInterface : IGrain
        => _activation.Runtime.GetReference<TGrainInterface>(_activation.GrainId);

    /// <summary>
    /// Registers a timer whose callback runs as a turn of this activation. A tick never overlaps the previous
    /// one: the period is counted from the end of the callback. The timer dies with the activation.
    /// </summary>
    protected IGrainTimer RegisterGrainTimer<TState>(
        Func<TState, CancellationToken, Task> callback,
        TState state,
        GrainTimerCreationOptions options)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new GrainTimer(_activation, cancellation => callback(state, cancellation), options);
        timer.Arm(options.DueTime);
        return timer;
    }

    /// <inheritdoc cref="RegisterGrainTimer{TState}(Func{TState, CancellationToken, Task}, TState, GrainTimerCreationOptions)"/>
    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, GrainTimerCreationOptions options)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new GrainTimer(_activation, callback, options);
        timer.Arm(options.DueTime);
        return timer;
    }

    /// <inheritdoc cref="RegisterGrainTimer{TState}(Func{TState, CancellationToken, Task}, TState, GrainTimerCreationOptions)"/>
    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period) =>
        RegisterGrainTimer(callback, new GrainTimerCreationOptions(dueTime, period));
}
