namespace HallMonitor.Grains;

/// <summary>How the hall keeps its clocks alive (bound from the <c>HallMonitor</c> section).</summary>
public sealed class ClockOptions
{
    /// <summary>
    /// How often each hall's reminder wakes it and, through it, every queue with waiting tickets and every
    /// window serving someone. Orleans collects an idle activation with its timers; this tick is what keeps
    /// alert clocks and the midnight roll-over running with no traffic at all, and what brings them back
    /// after a restart.
    /// </summary>
    public TimeSpan WakePeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often (hall time) each hall predicts its waiting tickets' calls and raises predicted-overtime alerts
    /// (<c>waitPredicted</c>); zero turns the alerts off (<c>GET /forecast</c> still predicts on request).
    /// </summary>
    public TimeSpan PredictPeriod { get; set; } = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan DefaultCheckpointPeriod = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often (grain time) each hall, queue, window and ticket writes its checkpoint if its state moved: what a new
    /// activation replays stays short. The day simulator stretches it by its speed, so that a city at ×60 does not
    /// spend its cores on checkpoint ticks (16,000 grains ticking twice a real second).
    /// </summary>
    public TimeSpan CheckpointPeriod { get; set; } = DefaultCheckpointPeriod;
}
