using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace HallMonitor.Grains;

/// <summary>State rebuilt from a hall journal: it knows the last journal event it reflects.</summary>
public abstract class JournaledState
{
    /// <summary>The last journal event applied to this state.</summary>
    public long AppliedSeq { get; set; }
}

/// <summary>
/// A grain whose state is what its journal events add up to. The journal is the truth; the persistent
/// state is only a checkpoint that spares replaying everything. On activation the grain loads the
/// checkpoint and applies the events written after it, so a crash between a journal write and a checkpoint
/// loses nothing.
/// </summary>
public abstract partial class JournaledGrain<TState> : Grain
    where TState : JournaledState, new()
{
    private static readonly TimeSpan CheckpointPeriod = TimeSpan.FromSeconds(30);
    private readonly IPersistentState<TState> _checkpoint;
    private readonly ILogger _logger;
    private long _checkpointedSeq;

    protected JournaledGrain(IPersistentState<TState> checkpoint, ILogger logger)
    {
        _checkpoint = checkpoint;
        _logger = logger;
    }

    protected TState State => _checkpoint.State;

    /// <summary>True while the grain replays the journal at activation: nothing applied then is news.</summary>
    protected bool Restoring { get; private set; }

    /// <summary>Loads the events written after the checkpoint and keeps checkpointing while active.</summary>
    protected async Task RestoreAsync(HallJournal journal, Func<long, JournalQuery> eventsAfter, CancellationToken cancellationToken)
    {
        _checkpointedSeq = State.AppliedSeq;
        Restoring = true;
        try
        {
            await ReplayAsync(journal, eventsAfter, cancellationToken);
        }
        finally
        {
            Restoring = false;
        }

        this.RegisterGrainTimer(_ => CheckpointAsync(), CheckpointPeriod, CheckpointPeriod);
    }

    private async Task ReplayAsync(HallJournal journal, Func<long, JournalQuery> eventsAfter, CancellationToken cancellationToken)
    {
        while (true)
        {
            var before = State.AppliedSeq;
            var query = eventsAfter(before);
            var page = await journal.ReadAsync(query, cancellationToken);
            foreach (var record in page)
            {
                ApplyRecord(record);
            }

            if (page.Count < query.Limit || State.AppliedSeq == before)
            {
                break;
            }
        }
    }

    /// <summary>Applies a durable record unless the state already reflects it.</summary>
    protected void ApplyRecord(JournalRecord record)
    {
        if (record.Seq <= State.AppliedSeq)
        {
            return;
        }

        Apply(record);
        State.AppliedSeq = record.Seq;
    }

    /// <summary>
    /// Points a one-shot clock at <paramref name="dueTime"/> from now (at once if that has passed), registering
    /// it on first use. Its tick counts as activity, but a pending timer does not keep an idle activation from
    /// being collected: the hall's wake reminder does that for every grain with a clock to watch.
    /// </summary>
    protected IGrainTimer ArmClock(IGrainTimer? clock, Func<Task> callback, TimeSpan dueTime)
    {
        dueTime = dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime;
        if (clock is null)
        {
            return this.RegisterGrainTimer(_ => callback(), new GrainTimerCreationOptions(dueTime, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }

        clock.Change(dueTime, Timeout.InfiniteTimeSpan);
        return clock;
    }

    /// <summary>Changes the state by one durable journal record.</summary>
    protected abstract void Apply(JournalRecord record);

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => CheckpointAsync();

    /// <summary>Writes the checkpoint if the state moved since the last one.</summary>
    protected async Task CheckpointAsync()
    {
        var seq = State.AppliedSeq;
        if (seq <= _checkpointedSeq)
        {
            return;
        }

        try
        {
            await _checkpoint.WriteStateAsync();
            _checkpointedSeq = seq;
        }
        catch (Exception exception)
        {
            // The journal still holds every event; the next activation replays what the checkpoint missed.
            LogCheckpointFailed(_logger, exception, this.GetGrainId());
            if (exception is InconsistentStateException)
            {
                DeactivateOnIdle();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkpoint of {GrainId} failed")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception, GrainId grainId);
}
