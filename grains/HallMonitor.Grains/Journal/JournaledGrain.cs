using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
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
    /// <summary>
    /// Events after which a busy grain checkpoints before its period is up: what a new activation replays (after a
    /// crash, or on a surviving silo) stays small whatever the load.
    /// </summary>
    public const int CheckpointEvents = 10_000;

    private bool _checkpointing;
    private static readonly TimeSpan CatchUpDelay = TimeSpan.FromSeconds(1);
    private readonly IPersistentState<TState> _checkpoint;
    private readonly ILogger _logger;
    private long _checkpointedSeq;
    private HallJournal _journal = null!;
    private Func<long, JournalQuery> _eventsAfter = null!;
    private bool _behind;
    private IGrainTimer? _catchUp;

    protected JournaledGrain(IPersistentState<TState> checkpoint, ILogger logger)
    {
        _checkpoint = checkpoint;
        _logger = logger;
    }

    protected TState State => _checkpoint.State;

    /// <summary>True while the grain replays the journal at activation: nothing applied then is news.</summary>
    protected bool Restoring { get; private set; }

    /// <summary>
    /// The events this grain's state is made of, if it appends on its own: its appends are refused when the
    /// stream moved past <see cref="JournaledState.AppliedSeq"/>, and it catches up from the journal instead.
    /// </summary>
    protected virtual JournalStream? Stream => null;

    /// <summary>Whether this grain's appends are refused when its own stream moved (on by default; see <see cref="Stream"/>).</summary>
    protected virtual bool GuardsOwnStream => true;

    /// <summary>
    /// For a grain whose events are one ticket's journal events (a case, a follow-up): restores it when it has a
    /// checkpoint or the ticket's events hold its <typeparamref name="TOpened"/> event; otherwise deactivates and
    /// throws <paramref name="notFound"/>, so that an id that names nothing (a typo, a probe) leaves no checkpoint and
    /// no activation behind.
    /// </summary>
    protected async Task RestoreTicketEventsAsync<TOpened>(HallJournal journal, string ticketId, bool checkpointed, Func<Exception> notFound)
        where TOpened : HallEvent
    {
        if (!checkpointed)
        {
            var records = TicketNumber.TryParseTicketId(ticketId, out _)
                ? await journal.ReadAsync(new JournalQuery { TicketId = ticketId, Limit = 10_000 })
                : [];
            if (!records.Any(r => r.Event is TOpened))
            {
                DeactivateOnIdle();
                throw notFound();
            }
        }

        await RestoreAsync(journal, after => new JournalQuery { AfterSeq = after, TicketId = ticketId, Limit = 5000 }, CancellationToken.None);
    }

    /// <summary>Loads the events written after the checkpoint and keeps checkpointing while active.</summary>
    protected async Task RestoreAsync(HallJournal journal, Func<long, JournalQuery> eventsAfter, CancellationToken cancellationToken)
    {
        _journal = journal;
        _eventsAfter = eventsAfter;
        _checkpointedSeq = State.AppliedSeq;
        Restoring = true;
        try
        {
            await ReplayAsync(await journal.ReadDurableEndAsync(cancellationToken), cancellationToken);
        }
        finally
        {
            Restoring = false;
        }

        var period = ServiceProvider.GetService<IOptions<ClockOptions>>()?.Value.CheckpointPeriod ?? ClockOptions.DefaultCheckpointPeriod;
        this.RegisterGrainTimer(_ => CheckpointAsync(), period, period);
    }

    /// <summary>
    /// Applies this grain's events read from the journal after its state, up to at least <paramref name="durable"/>,
    /// an end of the journal known to be durable; returns how many were of its stream.
    /// </summary>
    private async Task<int> ReplayAsync(long durable, CancellationToken cancellationToken)
    {
        var ours = 0;
        while (true)
        {
            var before = State.AppliedSeq;
            var query = _eventsAfter(before);
            var page = await _journal.ReadAsync(query, cancellationToken);
            foreach (var record in page)
            {
                if (record.Seq > State.AppliedSeq && Stream is { } stream && JournalStream.Of(Decoded(record)) is var (queue, window) && (stream == queue || stream == window))
                {
                    ours++;
                }

                ApplyRecord(record);
            }

            if (page.Count < query.Limit || State.AppliedSeq == before)
            {
                break;
            }
        }

        State.AppliedSeq = Math.Max(State.AppliedSeq, durable);
        return ours;
    }

    /// <summary>
    /// A call that may have written to the journal for this grain failed (a timeout can come after the commit):
    /// the grain no longer trusts its state, catches up before its next request, and shortly by itself.
    /// </summary>
    protected void FallBehind()
    {
        LogFellBehind(_logger, this.GetGrainId());
        _behind = true;
        _catchUp = ArmClock(_catchUp, () => CatchUpIfBehindAsync(), CatchUpDelay);
    }

    /// <summary>Catches up from the journal if a failed call left the state in doubt; returns how many events of its stream it applied.</summary>
    protected async Task<int> CatchUpIfBehindAsync()
    {
        if (!_behind)
        {
            return 0;
        }

        var applied = await CatchUpAsync();
        _behind = false;
        return applied;
    }

    /// <summary>
    /// Waits until everything sequenced so far is settled, then applies this grain's events the state does not
    /// reflect yet. Returns how many events of the grain's own stream it applied.
    /// </summary>
    protected async Task<int> CatchUpAsync() => await CatchUpToAsync(await SettleWritesAsync());

    /// <summary>Applies this grain's events up to <paramref name="durable"/>, a position known to be committed.</summary>
    protected async Task<int> CatchUpToAsync(long durable)
    {
        var applied = await ReplayAsync(durable, CancellationToken.None);
        if (applied > 0)
        {
            await OnCaughtUpAsync();
        }

        return applied;
    }

    /// <summary>Runs after a catch-up applied events of this grain's stream (a queue tells the hall its new head).</summary>
    protected virtual Task OnCaughtUpAsync() => Task.CompletedTask;

    /// <summary>
    /// Appends events decided on the current state, on condition that this grain's stream (and
    /// <paramref name="alsoExpected"/>) did not move meanwhile, and applies them. When its stream moved only by
    /// events that leave the state as it was, it appends again; when they changed the state, the request is
    /// refused as a conflict: it was decided on a state that is gone.
    /// </summary>
    protected async Task<IReadOnlyList<JournalRecord>> AppendAsync(
        IReadOnlyList<HallEvent> events,
        DateTimeOffset at,
        string actor,
        IReadOnlyList<StreamPosition>? alsoExpected = null,
        QueueReport? queue = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            IReadOnlyList<StreamPosition> expected = Stream is { } stream && GuardsOwnStream
                ? [new StreamPosition(stream, State.AppliedSeq), .. alsoExpected ?? []]
                : alsoExpected ?? [];
            JournalAppended appended;
            try
            {
                appended = await WriteAsync(new JournalAppend(events, at, actor, expected, queue, GuardsOwnStream ? null : Stream));
            }
            catch (StaleStreamException stale) when (stale.Stream == Stream && attempt == 0)
            {
                if (await CatchUpAsync() > 0)
                {
                    throw new ConflictException($"{Describe()} changed while this request was on its way (an earlier request went through late); nothing was changed. Look again and retry.");
                }

                continue;
            }
            catch (Exception exception) when (exception is not HallMonitorException)
            {
                // The write may have been journaled all the same (a timeout can come after the commit).
                FallBehind();
                throw;
            }

            var records = appended.Records;
            if (appended.OwnPreviousSeq > State.AppliedSeq)
            {
                // An event of this grain's stream written by someone else (the hall issuing a ticket) came before
                // these and has not reached the grain yet: the journal has it, committed before ours.
                await CatchUpToAsync(records[^1].Seq);
            }

            foreach (var record in records)
            {
                ApplyRecord(record);
            }

            return records;
        }
    }

    /// <summary>Hands an append to the hall's one journal writer (the hall grain).</summary>
    protected virtual Task<JournalAppended> WriteAsync(JournalAppend append) =>
        GrainFactory.GetHall(_journal.HallId).AppendAsync(append);

    /// <summary>Waits for the hall's journal writer to settle what it sequenced so far; answers the durable end.</summary>
    protected virtual Task<long> SettleWritesAsync() => GrainFactory.GetHall(_journal.HallId).SettleJournalAsync();

    /// <summary>How a refusal names this grain to a person: the window's or queue's name.</summary>
    protected virtual string Describe() => this.GetPrimaryKeyString();

    /// <summary>Applies a durable record unless the state already reflects it.</summary>
    protected void ApplyRecord(JournalRecord record)
    {
        if (record.Seq <= State.AppliedSeq)
        {
            return;
        }

        Decoded(record);
        Apply(record);
        State.AppliedSeq = record.Seq;
    }

    /// <summary>The record's event; a grain stops at one it cannot decode (at activation it does not start at all).</summary>
    private HallEvent Decoded(JournalRecord record)
    {
        try
        {
            return record.Decoded();
        }
        catch (JournalCorruptException corrupt)
        {
            LogUnreadableEvent(_logger, corrupt, record.HallId, record.Seq, this.GetGrainId());
            throw;
        }
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

    /// <summary>Checkpoints now if <see cref="CheckpointEvents"/> events were applied since the last checkpoint.</summary>
    protected Task CheckpointIfBusyAsync() =>
        State.AppliedSeq - _checkpointedSeq >= CheckpointEvents ? CheckpointAsync() : Task.CompletedTask;

    /// <summary>Writes the checkpoint if the state moved since the last one (one write at a time).</summary>
    protected async Task CheckpointAsync()
    {
        var seq = State.AppliedSeq;
        if (seq <= _checkpointedSeq || _checkpointing)
        {
            return;
        }

        _checkpointing = true;
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
        finally
        {
            _checkpointing = false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A call of {GrainId} failed after it may have been journaled; it catches up from the journal")]
    private static partial void LogFellBehind(ILogger logger, GrainId grainId);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Event {Seq} of the journal of hall {HallId} cannot be decoded; {GrainId} refuses to apply the events from there on")]
    private static partial void LogUnreadableEvent(ILogger logger, Exception exception, string hallId, long seq, GrainId grainId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkpoint of {GrainId} failed")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception, GrainId grainId);
}
