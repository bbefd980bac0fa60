namespace HallMonitor.Runtime;

/// <summary>How a grain timer ticks.</summary>
/// <param name="DueTime">Time to the first tick; <see cref="Timeout.InfiniteTimeSpan"/> for none until <see cref="IGrainTimer.Change"/>.</param>
/// <param name="Period">Time from the end of one callback to the next tick; <see cref="Timeout.InfiniteTimeSpan"/> for a one-shot timer.</param>
public readonly record struct GrainTimerCreationOptions(TimeSpan DueTime, TimeSpan Period)
{
    /// <summary>The callback may interleave with requests instead of waiting for them.</summary>
    public bool Interleave { get; init; }

    /// <summary>The timer keeps its activation from being collected while it exists.</summary>
    public bool KeepAlive { get; init; }
}

/// <summary>A timer registered by a grain.</summary>
public interface IGrainTimer : IDisposable
{
    /// <summary>Re-arms the timer. Called from its own callback, the new due time replaces the period for the next tick.</summary>
    void Change(TimeSpan dueTime, TimeSpan period);
}
