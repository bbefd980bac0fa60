using Microsoft.Extensions.Logging;

namespace HallMonitor.Runtime;

/// <summary>
/// A grain timer: a <see cref="TimeProvider"/> timer whose ticks are queued to the activation as requests,
/// so that the callback runs as a turn. It is re-armed only after the callback completes, so ticks never overlap.
/// </summary>
internal sealed partial class GrainTimer : IGrainTimer
{
    private readonly Lock _lock = new();
    private readonly GrainActivation _activation;
    private readonly Func<CancellationToken, Task> _callback;
    private readonly ITimer _timer;
    private readonly CancellationTokenSource _disposal = new();
    private TimeSpan _period;
    private bool _inCallback;
    private bool _tickQueued;
    private bool _changedDuringCallback;
    private bool _tickDuringCallback;
    private bool _disposed;

    public GrainTimer(GrainActivation activation, Func<CancellationToken, Task> callback, GrainTimerCreationOptions options)
    {
        _activation = activation;
        _callback = callback;
        _period = options.Period;
        Interleave = options.Interleave;
        KeepAlive = options.KeepAlive;
        _timer = activation.Runtime.TimeProvider.CreateTimer(
            static state => ((GrainTimer)state!).OnFired(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        activation.AddTimer(this);
    }

    public bool Interleave { get; }

    public bool KeepAlive { get; }

    public void Arm(TimeSpan dueTime)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
        }
    }

    public void Change(TimeSpan dueTime, TimeSpan period)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _period = period;
            _changedDuringCallback |= _inCallback;
            _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _timer.Dispose();
        _disposal.Cancel();
        _activation.RemoveTimer(this);
    }

    private void OnFired()
    {
        lock (_lock)
        {
            if (_disposed || _tickQueued)
            {
                return;
            }

            if (_inCallback)
            {
                // Due again while the callback still runs: tick once more right after it.
                _tickDuringCallback = true;
                return;
            }

            _tickQueued = true;
        }

        _activation.TryEnqueue(new GrainActivation.TimerTickRequest(this));
    }

    public Task RunCallback()
    {
        CancellationToken cancellation;
        lock (_lock)
        {
            _tickQueued = false;
            if (_disposed)
            {
                return Task.CompletedTask;
            }

            _inCallback = true;
            _changedDuringCallback = false;
            _tickDuringCallback = false;
            cancellation = _disposal.Token;
        }

        return _callback(cancellation);
    }

    public void OnCallbackCompleted(Task callback)
    {
        if (callback.Exception is { } failure)
        {
            LogTickFailed(_activation.Runtime.Logger, failure.InnerException ?? failure, _activation.GrainId);
        }

        bool tickNow;
        lock (_lock)
        {
            _inCallback = false;
            if (_disposed)
            {
                return;
            }

            tickNow = _tickDuringCallback;
            if (!tickNow && !_changedDuringCallback && _period != Timeout.InfiniteTimeSpan)
            {
                _timer.Change(_period, Timeout.InfiniteTimeSpan);
            }

            _tickQueued = tickNow;
        }

        if (tickNow)
        {
            _activation.TryEnqueue(new GrainActivation.TimerTickRequest(this));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A timer callback of {GrainId} failed")]
    private static partial void LogTickFailed(ILogger logger, Exception exception, GrainId grainId);
}
