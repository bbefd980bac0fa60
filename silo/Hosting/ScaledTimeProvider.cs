namespace HallMonitor.Silo;

/// <summary>
/// A clock that runs <see cref="Speed"/> times faster than real time from <see cref="Start"/>: the hall-day
/// simulator's clock. Timers fire after their due time and period divided by the speed, so grain timers (alerts,
/// the midnight roll-over) and <c>Task.Delay(…, clock)</c> follow the simulated day.
/// </summary>
public sealed class ScaledTimeProvider : TimeProvider
{
    private readonly TimeProvider _real;
    private readonly long _realStart;

    public ScaledTimeProvider(DateTimeOffset start, double speed, TimeProvider? real = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(speed, 0);
        _real = real ?? System;
        _realStart = _real.GetTimestamp();
        StartedAt = _real.GetUtcNow();
        Start = start;
        Speed = speed;
    }

    /// <summary>The simulated instant at which this clock was created.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>The real instant at which this clock was created (and showed <see cref="Start"/>).</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>How many simulated seconds pass in one real second.</summary>
    public double Speed { get; }

    public override TimeZoneInfo LocalTimeZone => _real.LocalTimeZone;

    public override long TimestampFrequency => _real.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => Start + Scale(_real.GetElapsedTime(_realStart));

    public override long GetTimestamp()
    {
        var realTicks = _real.GetTimestamp() - _realStart;
        return _realStart + (long)(realTicks * Speed);
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(_real.CreateTimer(callback, state, Unscale(dueTime), Unscale(period)), this);

    private TimeSpan Scale(TimeSpan real) => TimeSpan.FromTicks((long)(real.Ticks * Speed));

    /// <summary>A simulated span as real time; infinite and zero stay as they are.</summary>
    private TimeSpan Unscale(TimeSpan simulated) =>
        simulated == Timeout.InfiniteTimeSpan || simulated <= TimeSpan.Zero ? simulated : TimeSpan.FromTicks(Math.Max(1, (long)(simulated.Ticks / Speed)));

    private sealed class ScaledTimer(ITimer inner, ScaledTimeProvider clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(clock.Unscale(dueTime), clock.Unscale(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
