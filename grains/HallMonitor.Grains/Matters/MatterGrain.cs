using Microsoft.Extensions.Logging;

namespace HallMonitor.Grains;

/// <summary>The waiting line of one matter and its open alerts, rebuilt from the journal.</summary>
public sealed class MatterQueue : JournaledState
{
    public WaitingLine Line { get; set; } = new();

    /// <summary>Open wait alerts by ticket id.</summary>
    public Dictionary<string, AlertView> WaitAlerts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Open predicted-overtime alerts by ticket id.</summary>
    public Dictionary<string, AlertView> PredictedAlerts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The open backlog alert, if the queue is too long.</summary>
    public AlertView? Backlog { get; set; }

    /// <summary>Backlog episodes on <see cref="BacklogDay"/>, for alert ids.</summary>
    public int BacklogEpisodes { get; set; }

    public DateOnly BacklogDay { get; set; }
}

/// <summary>
/// A matter's queue. It is the only place that adds or removes its waiting tickets, one turn at a time,
/// so a ticket can be taken by exactly one window. After each change it tells the hall its new head.
/// It also watches its tickets' waiting time and its own length, and raises overtime alerts on time.
/// </summary>
/// <remarks>
/// All tickets of a matter share one wait target, so their warning moments come in issue order: two FIFO
/// queues of due moments (warning, then overtime), checked lazily when they come due, drive a single grain
/// timer. Scheduling costs O(1) per ticket however long the line is.
/// </remarks>
public sealed partial class MatterGrain : JournaledGrain<MatterQueue>, IMatterGrain
{
    private const int AlertBatch = 1000;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private readonly HallCatalog _catalog;
    private readonly HallJournals _journals;
    private readonly TimeProvider _time;
    private readonly ILogger<MatterGrain> _logger;
    private readonly Queue<Due> _warningsDue = new();
    private readonly Queue<Due> _overtimesDue = new();
    private Hall _hall = null!;
    private MatterDefinition _matter = null!;
    private HallJournal _journal = null!;
    private IHallGrain _hallGrain = null!;
    private QueueHead? _reportedHead;
    private IGrainTimer? _alertTimer;

    public MatterGrain(
        HallCatalog catalog,
        HallJournals journals,
        TimeProvider time,
        ILogger<MatterGrain> logger,
        [PersistentState("matter")] IPersistentState<MatterQueue> queue)
        : base(queue, logger)
    {
        _catalog = catalog;
        _journals = journals;
        _time = time;
        _logger = logger;
    }

    private WaitingLine Line => State.Line;

    protected override JournalStream? Stream => JournalStream.Queue(_matter.Code);

    /// <summary>
    /// Not guarded: the hall journals this queue's tickets without it, many in one commit, so its stream moves
    /// while it decides. What it decides (a take of its head, a cancel, an expiry, an alert) stays right with
    /// tickets added at the end of the line; a ticket it has not seen yet it reads from the journal when asked.
    /// </summary>
    protected override bool GuardsOwnStream => false;

    protected override string Describe() => $"The queue of {_matter.Name}";

    private TimeSpan WarnAfter => TimeSpan.FromSeconds(_matter.WaitTargetSeconds * _hall.Definition.WarnRatio);

    private TimeSpan OvertimeAfter => TimeSpan.FromSeconds(_matter.WaitTargetSeconds);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (hallId, code) = GrainKeys.Split(this.GetPrimaryKeyString());
        _hall = _catalog.GetHall(hallId);
        _matter = _hall.GetMatter(code);
        _journal = _journals.Get(hallId);
        _hallGrain = GrainFactory.GetHall(hallId);
        await RestoreAsync(_journal, after => new JournalQuery { AfterSeq = after, Matter = code, Limit = 5000 }, cancellationToken);
        _reportedHead = Line.HeadKey();
        RebuildDueQueues();

        // Clocks resume where they stood: a moment that passed while the silo was down is due at once.
        _alertTimer = ArmClock(null, SettleAsync, TimeSpan.Zero);
    }

    public async Task<TicketView> IssueAsync(TicketChannel channel, bool priority, string actor, string? requestId = null)
    {
        // The hall's silo may go away with the answer (a rolling update, a crash): asking again with the same id
        // reaches the hall's next activation, which answers the ticket if the first ask was journaled.
        requestId ??= Guid.NewGuid().ToString("N");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return (await _hallGrain.IssueTicketAsync(_matter.Code, channel, priority, actor, transfer: null, requestId)).Ticket;
            }
            catch (Exception exception) when (attempt < HallAwayRetries.Length + 1 && IsHallAway(exception))
            {
                LogHallAway(_logger, _matter.Code, attempt, exception.GetType().Name);
                // Wall-clock: the cluster's pace, not the hall's (a manual clock in tests would never get there).
                await Task.Delay(HallAwayRetries[attempt - 1]);
            }
        }
    }

    /// <summary>Pauses before asking the hall again after its silo went away: enough for the directory to move it.</summary>
    private static readonly TimeSpan[] HallAwayRetries = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(1000)];

    /// <summary>The hall's silo stopped or turned the call away: whatever it did is in the journal, and a retry is safe.</summary>
    private static bool IsHallAway(Exception exception) => exception is SiloUnavailableException or OrleansMessageRejectionException;

    public async Task<TransferOutcome> IssueTransferAsync(TransferSource source)
    {
        // A visitor sent on from a window has queued once already: the new leg is called ahead of first visits.
        var issued = await _hallGrain.IssueTicketAsync(_matter.Code, TicketChannel.Kiosk, priority: true, source.Clerk, source);
        return new TransferOutcome(issued.Transferred!, issued.Ticket with { TransferredFrom = source.TicketId });
    }

    public async Task<TicketView> EnqueueAsync(IssuedLeg leg)
    {
        if (leg.QueuePreviousSeq > State.AppliedSeq)
        {
            // An event of this queue before this one has not reached it (a leg still on its way, or one whose
            // hand-over failed): the journal has both, committed.
            await CatchUpToAsync(leg.Issued.Seq);
        }

        // Applied already if a catch-up read it from the journal first (it is skipped then).
        ApplyRecord(leg.Issued);

        // The hall put the ticket in its dispatch index when it journaled it.
        _reportedHead = Line.HeadKey();
        var view = WaitingLine.View(leg.Issued, _matter.Name);
        var ahead = Line.Contains(view.TicketId) ? Line.Ahead(view.TicketId) : 0;
        view = view with { Ahead = ahead, EstimatedWaitSeconds = WaitEstimate.Seconds(ahead, leg.ServingWindows, leg.AverageHandleSeconds) };

        // The ticket is issued (and answered) even if the backlog alert cannot be journaled now; the next
        // settle, at the latest on the next activation, raises it.
        await TrySettleBacklogAsync();
        ArmAlertTimer();
        return view;
    }

    public async Task<JournalRecord?> TryTakeAsync(string ticketId, string windowId, string clerk, long windowSeq)
    {
        await CatchUpIfBehindAsync();
        if (Line.Head?.TicketId != ticketId)
        {
            // The hall's index knows a ticket this queue does not (its hand-over failed): the journal has it, durable,
            // so no need to wait for the writes still on their way.
            await CatchUpToAsync(await _journal.ReadDurableEndAsync());
        }

        if (Line.Head is not { } head || head.TicketId != ticketId)
        {
            // The hall's index was behind: give it the true head so that the window's next try finds it.
            await ReportHeadAsync(force: true);
            return null;
        }

        var now = _time.GetUtcNow();
        var today = _hall.ServiceDay(now);
        if (head.ServiceDay < today)
        {
            // The day has ended but the hall's roll-over has not reached this queue yet (it runs beside the
            // windows, e.g. right after a restart in the morning): yesterday's numbers are never called today.
            await ExpireBeforeAsync(today);
            return null;
        }

        var called = new TicketCalled(head.TicketId, head.Number, head.Matter, windowId, clerk,
            Seconds(now - head.IssuedAt), head.Priority, head.IssuedAt, head.Channel);
        var records = await AppendAsync(Leaving(called, head.TicketId, "called", now), clerk, now, [head.TicketId], taken: true, [new StreamPosition(JournalStream.Window(windowId), windowSeq)]);
        ArmAlertTimer();
        return records[0];
    }

    public async Task<JournalRecord> CancelAsync(string ticketId, string actor)
    {
        var ticket = Line.Find(ticketId)
            ?? throw new ConflictException($"Ticket {ticketId} is not waiting, so it cannot be cancelled.");
        var now = _time.GetUtcNow();
        var records = await AppendAsync(Leaving(new TicketCancelled(ticket.TicketId, ticket.Number, ticket.Matter), ticket.TicketId, "cancelled", now), actor, now, [ticket.TicketId]);
        ArmAlertTimer();
        return records[0];
    }

    public async Task<int> ExpireBeforeAsync(DateOnly today)
    {
        var stale = Line.IssuedBefore(today);
        if (stale.Count == 0)
        {
            return 0;
        }

        var now = _time.GetUtcNow();
        var events = new List<HallEvent>();
        foreach (var ticket in stale)
        {
            events.Add(new TicketExpired(ticket.TicketId, ticket.Number, ticket.Matter, null, TicketState.Waiting, ticket.ServiceDay));
            if (State.WaitAlerts.TryGetValue(ticket.TicketId, out var alert))
            {
                events.Add(new AlertResolved(Resolved(alert, now, "expired")));
            }

            if (State.PredictedAlerts.TryGetValue(ticket.TicketId, out var predicted))
            {
                events.Add(new AlertResolved(ResolvedPrediction(predicted, now, "expired")));
            }
        }

        AddBacklogChange(events, Line.Count - stale.Count, now);
        await AppendAsync(events, "system", now, stale.Select(t => t.TicketId).ToHashSet(StringComparer.Ordinal));
        ArmAlertTimer();
        return stale.Count;
    }

    public async Task<QueueView> GetQueueAsync()
    {
        await CatchUpIfBehindAsync();
        var tickets = Line.Tickets;
        return new QueueView(_matter.Code, Line.Count, Line.PriorityCount, Line.Oldest?.IssuedAt, [.. tickets.Select(t => t.TicketId)]);
    }

    public async Task<AlertView> AcknowledgeAlertAsync(string alertId, string by)
    {
        var alert = State.Backlog is { } backlog && backlog.AlertId == alertId
            ? backlog
            : State.WaitAlerts.Values.FirstOrDefault(a => a.AlertId == alertId)
                ?? State.PredictedAlerts.Values.FirstOrDefault(a => a.AlertId == alertId)
                ?? throw new ConflictException($"Alert {alertId} is no longer open.");
        if (alert.AcknowledgedAt is { } at)
        {
            throw new ConflictException($"Alert {alertId} was already acknowledged by {alert.AcknowledgedBy} at {_hall.LocalTime(at):HH:mm:ss}.");
        }

        var now = _time.GetUtcNow();
        var records = await AppendAsync([new AlertAcknowledged(alert with { AcknowledgedAt = _hall.LocalTime(now), AcknowledgedBy = by })], by, now);
        return ((IAlertEvent)records[0].Event).Alert;
    }

    public Task WakeAsync() => SettleAsync();

    public async Task PredictedAsync(IReadOnlyList<PredictedWait> late, IReadOnlyList<string> improved)
    {
        await CatchUpIfBehindAsync();
        var now = _time.GetUtcNow();
        var local = _hall.LocalTime(now);
        var events = new List<HallEvent>();
        foreach (var prediction in late)
        {
            // Only while there is still time to act: before the ticket's wait warning, and once per ticket.
            if (Line.Find(prediction.TicketId) is { } ticket
                && now < ticket.IssuedAt + WarnAfter
                && !State.WaitAlerts.ContainsKey(ticket.TicketId)
                && !State.PredictedAlerts.ContainsKey(ticket.TicketId))
            {
                events.Add(new AlertRaised(new AlertView
                {
                    AlertId = PredictedAlertId(ticket.TicketId),
                    Kind = AlertKind.WaitPredicted,
                    Level = AlertLevel.Warning,
                    State = AlertState.Open,
                    Matter = ticket.Matter,
                    TicketId = ticket.TicketId,
                    Number = ticket.Number,
                    Target = _matter.WaitTargetSeconds,
                    Value = Math.Round(prediction.WaitSeconds),
                    Since = ticket.IssuedAt,
                    RaisedAt = local,
                    Due = prediction.CallAt,
                }));
            }
        }

        foreach (var ticketId in improved)
        {
            if (State.PredictedAlerts.TryGetValue(ticketId, out var alert))
            {
                events.Add(new AlertResolved(alert with { State = AlertState.Resolved, ResolvedAt = local, Resolution = "improved" }));
            }
        }

        foreach (var batch in events.Chunk(AlertBatch))
        {
            await AppendAsync(batch, "system", now);
        }
    }

    /// <summary>The id of a ticket's predicted-overtime alert.</summary>
    public static string PredictedAlertId(string ticketId) => $"predicted-{ticketId}";

    public Task ReloadAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    protected override void Apply(JournalRecord record)
    {
        switch (record.Event)
        {
            case TicketIssued issued:
                Line.Add(new WaitingTicket(issued.TicketId, issued.Number, issued.Matter, issued.Priority, record.At, record.Seq, issued.ServiceDay, issued.Channel));
                _warningsDue.Enqueue(new Due(issued.TicketId, record.At + WarnAfter));
                break;
            case TicketCalled or TicketCancelled or TicketExpired { Window: null }:
                Line.Remove(((ITicketEvent)record.Event).TicketId);
                break;
            case IAlertEvent { Alert: { Kind: AlertKind.WaitOvertime } alert }:
                if (record.Event is AlertResolved)
                {
                    State.WaitAlerts.Remove(alert.TicketId!);
                    break;
                }

                State.WaitAlerts[alert.TicketId!] = alert;
                if (record.Event is AlertRaised && alert.Level == AlertLevel.Warning)
                {
                    _overtimesDue.Enqueue(new Due(alert.TicketId!, alert.Since!.Value + OvertimeAfter));
                }

                break;
            case IAlertEvent { Alert: { Kind: AlertKind.WaitPredicted } alert }:
                if (record.Event is AlertResolved)
                {
                    State.PredictedAlerts.Remove(alert.TicketId!);
                }
                else
                {
                    State.PredictedAlerts[alert.TicketId!] = alert;
                }

                break;
            case IAlertEvent { Alert: { Kind: AlertKind.QueueBacklog } alert }:
                State.Backlog = record.Event is AlertResolved ? null : alert;
                if (record.Event is AlertRaised)
                {
                    var day = _hall.ServiceDay(alert.RaisedAt);
                    State.BacklogEpisodes = day == State.BacklogDay ? State.BacklogEpisodes + 1 : 1;
                    State.BacklogDay = day;
                }

                break;
        }
    }

    /// <summary>The events of a ticket leaving the line: the leaving itself, its alert resolved, the backlog re-judged.</summary>
    private List<HallEvent> Leaving(HallEvent leaving, string ticketId, string resolution, DateTimeOffset now)
    {
        var events = new List<HallEvent> { leaving };
        if (State.WaitAlerts.TryGetValue(ticketId, out var alert))
        {
            events.Add(new AlertResolved(Resolved(alert, now, resolution)));
        }

        if (State.PredictedAlerts.TryGetValue(ticketId, out var predicted))
        {
            events.Add(new AlertResolved(ResolvedPrediction(predicted, now, resolution)));
        }

        AddBacklogChange(events, Line.Count - 1, now);
        return events;
    }

    /// <summary>Raises, escalates or resolves the backlog alert for a queue of <paramref name="waiting"/> tickets.</summary>
    private void AddBacklogChange(List<HallEvent> events, int waiting, DateTimeOffset now)
    {
        var threshold = _hall.Definition.BacklogThreshold;
        var warnAt = Math.Max(1, (int)Math.Ceiling(threshold * _hall.Definition.WarnRatio));
        var level = waiting > threshold ? AlertLevel.Overtime : AlertLevel.Warning;
        var local = _hall.LocalTime(now);
        switch (State.Backlog)
        {
            case null when waiting >= warnAt:
                var day = _hall.ServiceDay(now);
                var episode = (day == State.BacklogDay ? State.BacklogEpisodes : 0) + 1;
                events.Add(new AlertRaised(new AlertView
                {
                    AlertId = $"backlog-{_matter.Code}-{day:yyyyMMdd}-{episode}",
                    Kind = AlertKind.QueueBacklog,
                    Level = level,
                    State = AlertState.Open,
                    Matter = _matter.Code,
                    Target = threshold,
                    Value = waiting,
                    RaisedAt = local,
                    EscalatedAt = level == AlertLevel.Overtime ? local : null,
                }));
                break;
            case { Level: AlertLevel.Warning } open when level == AlertLevel.Overtime:
                events.Add(new AlertEscalated(open with { Level = AlertLevel.Overtime, Value = waiting, EscalatedAt = local }));
                break;
            case { } open when waiting < warnAt:
                events.Add(new AlertResolved(Resolved(open with { Value = waiting }, now, "shortened")));
                break;
        }
    }

    /// <summary>Journals what the clocks and the queue length call for now, then waits for the next due moment.</summary>
    private async Task SettleAsync()
    {
        var now = _time.GetUtcNow();
        var events = new List<HallEvent>();
        while (_warningsDue.TryPeek(out var due) && due.At <= now)
        {
            _warningsDue.Dequeue();
            if (Line.Find(due.TicketId) is { } ticket && !State.WaitAlerts.ContainsKey(ticket.TicketId))
            {
                events.Add(new AlertRaised(WaitAlert(ticket, now)));
                if (State.PredictedAlerts.TryGetValue(ticket.TicketId, out var predicted))
                {
                    // The wait warning takes over from the prediction: one card per ticket.
                    events.Add(new AlertResolved(ResolvedPrediction(predicted, now, "warned")));
                }
            }
        }

        while (_overtimesDue.TryPeek(out var due) && due.At <= now)
        {
            _overtimesDue.Dequeue();
            if (Line.Contains(due.TicketId) && State.WaitAlerts.TryGetValue(due.TicketId, out var alert) && alert.Level == AlertLevel.Warning)
            {
                events.Add(new AlertEscalated(alert with
                {
                    Level = AlertLevel.Overtime,
                    Value = Seconds(now - alert.Since!.Value),
                    EscalatedAt = _hall.LocalTime(now),
                }));
            }
        }

        AddBacklogChange(events, Line.Count, now);
        try
        {
            foreach (var batch in events.Chunk(AlertBatch))
            {
                await AppendAsync(batch, "system", now);
            }
        }
        catch (JournalUnavailableException exception)
        {
            // What was not journaled is still due: rebuild the clocks from the state and try again shortly.
            LogAlertsDeferred(_logger, exception, this.GetGrainId());
            RebuildDueQueues();
            _alertTimer?.Change(RetryDelay, Timeout.InfiniteTimeSpan);
            return;
        }

        ArmAlertTimer();
    }

    private async Task TrySettleBacklogAsync()
    {
        var now = _time.GetUtcNow();
        var events = new List<HallEvent>();
        AddBacklogChange(events, Line.Count, now);
        if (events.Count == 0)
        {
            return;
        }

        try
        {
            await AppendAsync(events, "system", now);
        }
        catch (JournalUnavailableException exception)
        {
            LogAlertsDeferred(_logger, exception, this.GetGrainId());
            _alertTimer?.Change(RetryDelay, Timeout.InfiniteTimeSpan);
        }
    }

    private AlertView WaitAlert(WaitingTicket ticket, DateTimeOffset now)
    {
        var waited = now - ticket.IssuedAt;
        var overtime = waited >= OvertimeAfter;
        var local = _hall.LocalTime(now);
        return new AlertView
        {
            AlertId = $"wait-{ticket.TicketId}",
            Kind = AlertKind.WaitOvertime,
            Level = overtime ? AlertLevel.Overtime : AlertLevel.Warning,
            State = AlertState.Open,
            Matter = ticket.Matter,
            TicketId = ticket.TicketId,
            Number = ticket.Number,
            Target = _matter.WaitTargetSeconds,
            Value = Seconds(waited),
            Since = ticket.IssuedAt,
            RaisedAt = local,
            EscalatedAt = overtime ? local : null,
        };
    }

    private AlertView Resolved(AlertView alert, DateTimeOffset now, string resolution) => alert with
    {
        State = AlertState.Resolved,
        Value = alert.Since is { } since ? Seconds(now - since) : alert.Value,
        ResolvedAt = _hall.LocalTime(now),
        Resolution = resolution,
    };

    /// <summary>A predicted overtime ended; its value stays the predicted wait it was raised with.</summary>
    private AlertView ResolvedPrediction(AlertView alert, DateTimeOffset now, string resolution) => alert with
    {
        State = AlertState.Resolved,
        ResolvedAt = _hall.LocalTime(now),
        Resolution = resolution,
    };

    /// <summary>Points the alert timer at the earliest pending due moment, or lets it go when none is pending.</summary>
    private void ArmAlertTimer()
    {
        while (_warningsDue.TryPeek(out var due) && !(Line.Contains(due.TicketId) && !State.WaitAlerts.ContainsKey(due.TicketId)))
        {
            _warningsDue.Dequeue();
        }

        while (_overtimesDue.TryPeek(out var due)
            && !(Line.Contains(due.TicketId) && State.WaitAlerts.TryGetValue(due.TicketId, out var alert) && alert.Level == AlertLevel.Warning))
        {
            _overtimesDue.Dequeue();
        }

        DateTimeOffset? next = (_warningsDue.TryPeek(out var warning), _overtimesDue.TryPeek(out var overtime)) switch
        {
            (true, true) => warning.At < overtime.At ? warning.At : overtime.At,
            (true, false) => warning.At,
            (false, true) => overtime.At,
            _ => null,
        };

        if (next is null)
        {
            // Nothing to watch: let the grain be collected when idle.
            _alertTimer?.Dispose();
            _alertTimer = null;
            return;
        }

        _alertTimer = ArmClock(_alertTimer, SettleAsync, next.Value - _time.GetUtcNow());
    }

    private void RebuildDueQueues()
    {
        _warningsDue.Clear();
        _overtimesDue.Clear();
        foreach (var ticket in Line.Tickets)
        {
            if (!State.WaitAlerts.TryGetValue(ticket.TicketId, out var alert))
            {
                _warningsDue.Enqueue(new Due(ticket.TicketId, ticket.IssuedAt + WarnAfter));
            }
            else if (alert.Level == AlertLevel.Warning)
            {
                _overtimesDue.Enqueue(new Due(ticket.TicketId, ticket.IssuedAt + OvertimeAfter));
            }
        }
    }

    private Task<IReadOnlyList<JournalRecord>> AppendAsync(IReadOnlyList<HallEvent> events, string actor, DateTimeOffset now) =>
        AppendAsync(events, _hall.LocalTime(now), actor);

    /// <summary>Journals tickets leaving the line, with the head the line will have: the hall's dispatch index takes it with the commit.</summary>
    private async Task<IReadOnlyList<JournalRecord>> AppendAsync(
        IReadOnlyList<HallEvent> events,
        string actor,
        DateTimeOffset now,
        IReadOnlyCollection<string> leaving,
        bool taken = false,
        IReadOnlyList<StreamPosition>? alsoExpected = null)
    {
        var head = Line.HeadKeyWithout(leaving);
        var records = await AppendAsync(events, _hall.LocalTime(now), actor, alsoExpected, new QueueReport(_matter.Code, head, taken));

        // The hall took that head with the commit; a ticket issued meanwhile may have changed it since.
        _reportedHead = head;
        await ReportHeadAsync();
        return records;
    }

    protected override async Task OnCaughtUpAsync()
    {
        RebuildDueQueues();
        await ReportHeadAsync();
        ArmAlertTimer();
    }

    /// <summary>Tells the hall's dispatch index the head of this queue when it changed (or always, when forced).</summary>
    private async Task ReportHeadAsync(bool force = false)
    {
        var head = Line.HeadKey();
        if (!force && head == _reportedHead)
        {
            return;
        }

        await _hallGrain.ReportHeadAsync(_matter.Code, head);
        _reportedHead = head;
    }

    private static double Seconds(TimeSpan duration) => Math.Round(Math.Max(0, duration.TotalSeconds), 1);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The hall was away when issuing a ticket for {Matter} (attempt {Attempt}, {Failure}); asking again with the same request id")]
    private static partial void LogHallAway(ILogger logger, string matter, int attempt, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alerts of {GrainId} could not be journaled; retrying")]
    private static partial void LogAlertsDeferred(ILogger logger, Exception exception, GrainId grainId);

    /// <summary>The moment a ticket's next alert threshold is reached.</summary>
    private readonly record struct Due(string TicketId, DateTimeOffset At);
}

/// <summary>How long a new ticket is likely to wait.</summary>
public static class WaitEstimate
{
    /// <summary>
    /// The people ahead are served by the open windows that handle the matter, each taking about the recent
    /// average handling time: ahead × average ÷ windows, in whole seconds.
    /// </summary>
    public static double Seconds(int ahead, int servingWindows, double averageHandleSeconds) =>
        Math.Round(ahead * averageHandleSeconds / Math.Max(1, servingWindows));
}
