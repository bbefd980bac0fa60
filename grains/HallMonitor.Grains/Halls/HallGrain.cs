using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HallMonitor.Grains;

/// <summary>
/// A hall. It numbers tickets, keeps the dispatch index over the matters' queue heads, projects the whole
/// journal into the live snapshot, serves the journal to auditors and rolls the service day over at local
/// midnight.
/// </summary>
/// <remarks>
/// Reentrant: a request that waits for the journal to make its event durable lets the others run, so that
/// many issues share one commit. Every request does its state changes before its first await, and numbers
/// are reserved synchronously, so interleaving never hands out a number twice.
/// <para>
/// Orleans collects an idle activation together with its timers, so a timer alone would let an alert or the
/// midnight roll-over pass unnoticed in a quiet hall. The hall's durable reminder ticks every
/// <see cref="ClockOptions.WakePeriod"/>: it brings the hall back if it was collected, rolls the day over if
/// that is due, and wakes every queue with waiting tickets and every window serving someone, which keeps
/// them active and settles whatever came due while they were away. Timers give the exact moments.
/// </para>
/// </remarks>
[Reentrant]
public sealed partial class HallGrain : JournaledGrain<HallProjection>, IHallGrain, IRemindable, IIncomingGrainCallFilter
{
    /// <summary>The name of the hall's reminder.</summary>
    public const string WakeReminder = "wake";

    private readonly HallCatalog _catalog;
    private readonly HallJournals _journals;
    private readonly HallMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<HallGrain> _logger;
    private readonly ClockOptions _clocks;
    private static readonly TimeSpan ClaimLifetime = TimeSpan.FromSeconds(30);
    private readonly Dictionary<string, int> _reserved = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Claim> _claims = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DateOnly Day, Task<IssuedTicket> Issue)> _requests = new(StringComparer.Ordinal);
    private readonly Queue<(string RequestId, DateTimeOffset At)> _requestOrder = new();
    private DateOnly _reservedDay;
    private long _numberingEpoch = -1;
    private int _issuesInFlight;
    private Hall _hall = null!;
    private HallJournal _journal = null!;
    private DispatchIndex _dispatch = null!;
    private IGrainTimer? _rollOver;
    private DateOnly _rolledOverTo;
    private Task? _rollingOver;

    /// <summary>A predicted overtime ends when the predicted wait comes back under this share of the target.</summary>
    private const double ImprovedRatio = 0.9;
    private JournalCorruptException? _corrupt;

    public HallGrain(
        HallCatalog catalog,
        HallJournals journals,
        HallMetrics metrics,
        TimeProvider time,
        ILogger<HallGrain> logger,
        IOptions<ClockOptions> clocks,
        [PersistentState("hall")] IPersistentState<HallProjection> projection)
        : base(projection, logger)
    {
        _clocks = clocks.Value;
        _catalog = catalog;
        _journals = journals;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _hall = _catalog.GetHall(this.GetPrimaryKeyString());
        _journal = _journals.Get(_hall.Id);
        await _journal.ReloadAsync();
        try
        {
            await RestoreAsync(_journal, after => new JournalQuery { AfterSeq = after, Limit = 5000 }, cancellationToken);
        }
        catch (JournalCorruptException corrupt)
        {
            // Stays active without a state to answer from: every call but the auditors' refuses with this (503).
            _corrupt = corrupt;
            return;
        }

        _dispatch = new DispatchIndex(_hall);
        foreach (var (matter, line) in State.Waiting)
        {
            _dispatch.Update(matter, line.HeadKey());
        }

        PublishGauges();
        await this.RegisterOrUpdateReminder(WakeReminder, _clocks.WakePeriod, _clocks.WakePeriod, cancellationToken);

        // Roll over now if the silo slept through midnight; it calls other grains, so not inside activation.
        _rollOver = ArmClock(null, RollOverAsync, TimeSpan.Zero);
        if (_clocks.PredictPeriod > TimeSpan.Zero)
        {
            this.RegisterGrainTimer(_ => PredictOvertimeAsync(), _clocks.PredictPeriod, _clocks.PredictPeriod);
        }
    }

    /// <summary>
    /// A hall whose journal has an event it cannot read answers only the auditors' reads and verification, which show
    /// where the journal is broken; everything else is refused with <see cref="JournalCorruptException"/>.
    /// </summary>
    public Task Invoke(IIncomingGrainCallContext context) =>
        _corrupt is null || context.MethodName is nameof(VerifyJournalAsync) or nameof(ReadJournalAsync)
            ? context.Invoke()
            : throw _corrupt;

    /// <summary>
    /// Brings the projection up to the journal's durable end before the last checkpoint: the feed that delivers
    /// commits stops before the silo deactivates its grains, so a graceful stop leaves a current checkpoint.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_corrupt is not null)
        {
            return;
        }

        try
        {
            await CatchUpAsync(_journal.DurableSeq);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The checkpoint is only a shortcut: the next activation replays whatever it lacks.
            LogFinalCatchUpFailed(_logger, exception, _hall.Id);
        }

        _metrics.Forget(_hall.Id);
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <summary>The wake reminder: roll over if the day changed unseen, and keep the queues' and windows' clocks alive.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != WakeReminder)
        {
            return;
        }

        if (_rolledOverTo != _hall.ServiceDay(_time.GetUtcNow()))
        {
            await RollOverAsync();
            return;
        }

        try
        {
            await CatchUpAsync(_journal.DurableSeq);

            // Case levels move with the clock alone: the gauges follow without an event.
            PublishGauges();
            await WakeClocksAsync();
        }
        catch (Exception exception)
        {
            // The next tick tries again; a failing wake must not fail the reminder.
            LogWakeFailed(_logger, exception, _hall.Id);
        }
    }

    public async Task<HallSnapshot> GetSnapshotAsync()
    {
        await CatchUpAsync(_journal.DurableSeq);
        var now = _time.GetUtcNow();
        var today = _hall.ServiceDay(now);
        var figures = State.ServiceDay == today ? State.Today : new DayFigures();
        var queues = _hall.Matters.Select(m =>
        {
            var line = State.Waiting.GetValueOrDefault(m.Code);
            return new QueueSummary
            {
                Matter = m.Code,
                Name = m.Name,
                Category = m.Category,
                Prefix = m.Prefix,
                Waiting = line?.Count ?? 0,
                PriorityWaiting = line?.PriorityCount ?? 0,
                OldestWaitSeconds = line?.Oldest is { } oldest ? Seconds(now - oldest.IssuedAt) : 0,
                WaitTargetSeconds = m.WaitTargetSeconds,
                Issued = figures.IssuedByMatter.GetValueOrDefault(m.Code),
                Tickets = line is null ? [] : [.. line.Longest(QueueSummary.TicketLimit).Select(t => new QueuedTicket(t.TicketId, t.Number, t.Priority, _hall.LocalTime(t.IssuedAt)))],
            };
        }).ToList();

        return new HallSnapshot
        {
            Hall = _hall.Id,
            Name = _hall.Name,
            Seq = State.AppliedSeq,
            At = _hall.LocalTime(now),
            ServiceDay = today,
            Windows = [.. _hall.Windows.Select(w => WindowView(w, today))],
            Queues = queues,
            Kpis = new HallKpis
            {
                Issued = figures.Issued,
                Waiting = queues.Sum(q => q.Waiting),
                Called = figures.Called,
                Completed = figures.Completed,
                NoShow = figures.NoShow,
                Cancelled = figures.Cancelled,
                Transferred = figures.Transferred,
                AvgWaitSeconds = figures.Called > 0 ? Seconds(figures.WaitSecondsSum / figures.Called) : null,
                AvgHandleSeconds = figures.Completed > 0 ? Seconds(figures.HandleSecondsSum / figures.Completed) : null,
                ServiceLevel = figures.Called > 0 ? Rate(figures.CalledWithinTarget, figures.Called) : null,
                SatisfactionRate = figures.Rated > 0 ? Rate(figures.Satisfied, figures.Rated) : null,
                Rated = figures.Rated,
                OpenAlerts = State.Alerts.Values.Count(a => a.State == AlertState.Open),
                AlertsRaised = figures.AlertsRaised,
            },
            Alerts = [.. State.Alerts.Values.Where(a => a.State == AlertState.Open).OrderByDescending(a => a.EscalatedAt ?? a.RaisedAt)],
            Hourly = [.. Enumerable.Range(0, 24).Select(h => new HourFigures(h, figures.IssuedByHour[h], figures.CompletedByHour[h]))],
            HotMatters = [.. figures.IssuedByMatter
                .OrderByDescending(p => p.Value)
                .ThenBy(p => p.Key, StringComparer.Ordinal)
                .Take(10)
                .Select(p => _hall.TryGetMatter(p.Key, out var m)
                    ? new HotMatter(m.Code, m.Name, m.Category, p.Value, queues.First(q => q.Matter == m.Code).Waiting)
                    : new HotMatter(p.Key, p.Key, "", p.Value, 0))],
        };
    }

    public async Task<HallPrediction> PredictAsync(bool withTickets)
    {
        await CatchUpAsync(_journal.DurableSeq);
        return CallPrediction.Predict(_hall, State, _hall.LocalTime(_time.GetUtcNow()), withTickets);
    }

    public async Task<IReadOnlyList<AlertView>> GetAlertsAsync(bool includeResolved)
    {
        await CatchUpAsync(_journal.DurableSeq);
        return [.. State.Alerts.Values
            .Where(a => includeResolved || a.State == AlertState.Open)
            .OrderByDescending(a => a.EscalatedAt ?? a.RaisedAt)];
    }

    public async Task<AlertView> AcknowledgeAlertAsync(string alertId, string by)
    {
        await CatchUpAsync(_journal.DurableSeq);
        if (!State.Alerts.TryGetValue(alertId, out var alert))
        {
            throw new NotFoundException($"Hall '{_hall.Id}' has no alert '{alertId}' today.");
        }

        if (alert.State == AlertState.Resolved)
        {
            throw new ConflictException($"Alert {alertId} was resolved at {alert.ResolvedAt:HH:mm:ss} ({alert.Resolution}); there is nothing to acknowledge.");
        }

        // The grain that raised the alert decides, so that acknowledging never races with resolving.
        return alert.Kind switch
        {
            AlertKind.HandleOvertime => await GrainFactory.GetWindow(_hall.Id, alert.Window!).AcknowledgeAlertAsync(alertId, by),
            AlertKind.CaseDeadline or AlertKind.CaseStatutoryOverdue => await GrainFactory.GetCase(_hall.Id, alert.TicketId!).AcknowledgeAlertAsync(alertId, by),
            AlertKind.FollowUpOverdue => await GrainFactory.GetFollowUp(_hall.Id, alert.TicketId!).AcknowledgeAlertAsync(alertId, by),
            _ => await GrainFactory.GetMatter(_hall.Id, alert.Matter).AcknowledgeAlertAsync(alertId, by),
        };
    }

    public async Task<IReadOnlyList<CaseView>> GetCasesAsync(CaseFilter filter, string? matter)
    {
        await CatchUpAsync(_journal.DurableSeq);
        var now = _time.GetUtcNow();
        return [.. State.Cases.Values
            .Where(c => matter is null || c.Matter == matter)
            .Select(c => c with
            {
                MatterName = _hall.TryGetMatter(c.Matter, out var m) ? m.Name : null,
                Level = CaseClock.Level(_hall, c.PromisedDue, c.StatutoryDue, CaseClock.ClockAt(c, now)),
            })
            .Where(c => filter switch
            {
                CaseFilter.Open => c.DecidedAt is null,
                CaseFilter.Overdue => c.DecidedAt is null && c.Level >= CaseLevel.Red,
                _ => true,
            })
            .OrderBy(c => c.PromisedDue)
            .ThenBy(c => c.CaseId, StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<FollowUpView>> GetFollowUpsAsync(bool includeClosed)
    {
        await CatchUpAsync(_journal.DurableSeq);
        var now = _time.GetUtcNow();
        return [.. State.FollowUps.Values
            .Where(f => includeClosed || f.State == FollowUpState.Open)
            .Select(f => f.State == FollowUpState.Open ? f with { Overdue = now > f.Due } : f)
            .OrderBy(f => f.Due)
            .ThenBy(f => f.FollowUpId, StringComparer.Ordinal)];
    }

    public Task<IssuedTicket> IssueTicketAsync(string matter, TicketChannel channel, bool priority, string actor, TransferSource? transfer, string? requestId = null)
    {
        if (requestId is null)
        {
            return IssueOnceAsync(matter, channel, priority, actor, transfer, requestId: null);
        }

        // The same request again: in flight or answered in this activation, or journaled before it (the projection
        // has read the journal to its end on activation). Checked and recorded with no await between.
        var now = _time.GetUtcNow();
        var day = _hall.ServiceDay(now);
        ForgetOldRequests(now);
        if (_requests.TryGetValue(requestId, out var pending) && pending.Day == day)
        {
            return pending.Issue;
        }

        if (State.ServiceDay == day && State.TryGetRequest(requestId, now, out var ticketId))
        {
            return AnswerAgainAsync(ticketId);
        }

        var issue = IssueOnceAsync(matter, channel, priority, actor, transfer, requestId);
        _requests[requestId] = (day, issue);
        _requestOrder.Enqueue((requestId, now));
        _ = issue.ContinueWith(
            _ => _requests.Remove(requestId),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Current);
        return issue;
    }

    /// <summary>
    /// A request id answers its ticket again for <see cref="HallProjection.RequestWindow"/>, here as in the
    /// projection; older ones are forgotten, so that this activation does not grow through a busy day.
    /// </summary>
    private void ForgetOldRequests(DateTimeOffset now)
    {
        while (_requestOrder.TryPeek(out var oldest) && oldest.At < now - HallProjection.RequestWindow)
        {
            _requestOrder.Dequeue();
            if (_requests.TryGetValue(oldest.RequestId, out var entry) && entry.Issue.IsCompleted)
            {
                _requests.Remove(oldest.RequestId);
            }
        }
    }

    private async Task<IssuedTicket> AnswerAgainAsync(string ticketId) =>
        new(await GrainFactory.GetTicket(_hall.Id, ticketId).GetAsync(), Transferred: null);

    private async Task<IssuedTicket> IssueOnceAsync(string matter, TicketChannel channel, bool priority, string actor, TransferSource? transfer, string? requestId)
    {
        IReadOnlyList<StreamPosition> expected = transfer is null ? [] : [new StreamPosition(JournalStream.Window(transfer.WindowId), transfer.WindowSeq)];

        // Before a number is reserved: a refusal after it would leave a gap in the numbering.
        _journal.EnsureCurrent(expected);
        var definition = _hall.GetMatter(matter);
        var epoch = _journals.Store.Epoch;
        if (epoch != _numberingEpoch)
        {
            if (_issuesInFlight > 0)
            {
                // A write failed while numbers were on their way to the journal, so some of them may be lost;
                // numbering on would leave a gap. A new activation numbers on from the durable journal.
                Retire();
                throw new JournalUnavailableException($"A write to the journal of hall '{_hall.Id}' failed meanwhile; nothing was changed.");
            }

            // Nothing is on its way: every number reserved so far is durable.
            _numberingEpoch = epoch;
        }

        var now = _time.GetUtcNow();
        var at = _hall.LocalTime(now);
        var day = _hall.ServiceDay(now);
        var number = TicketNumber.Format(definition.Prefix, Reserve(day, definition.Prefix));
        var ticketId = TicketNumber.TicketId(day, number);
        var issued = new TicketIssued(ticketId, number, matter, channel, priority, day, transfer?.TicketId, requestId);
        HallEvent[] events = transfer is null
            ? [issued]
            : [new TicketTransferred(transfer.TicketId, transfer.Number, transfer.Matter, transfer.WindowId, transfer.Clerk, matter, ticketId, Seconds(now - transfer.StartedAt)), issued];

        IReadOnlyList<JournalRecord> records;
        var queuePrevious = _journal.LastOf(JournalStream.Queue(matter));
        _issuesInFlight++;
        try
        {
            // Pinned to the epoch the numbering rests on, so that no number is sequenced after a lost one.
            records = await _journal.AppendAsync(events, at, actor, _numberingEpoch, expected);
        }
        catch (Exception exception) when (exception is JournalUnavailableException or StaleStreamException)
        {
            // Reserved numbers may now have gaps; a new activation numbers on from the durable journal.
            Retire();
            throw;
        }
        finally
        {
            _issuesInFlight--;
        }

        // The queue does not report the head a new ticket gives it: the hall knows it from the journaled ticket.
        var current = _dispatch.HeadOf(matter);
        var head = WaitingLine.HeadAfterJoining(current, new QueueHead(ticketId, priority, records[^1].At, records[^1].Seq));
        if (head != current)
        {
            _dispatch.Update(matter, head);
        }

        var leg = new IssuedLeg(records[^1], transfer is null ? null : records[0], ServingWindows(matter), State.HandleSeconds(definition), queuePrevious);
        TicketView view;
        try
        {
            view = await GrainFactory.GetMatter(_hall.Id, matter).EnqueueAsync(leg);
        }
        catch (Exception exception) when (exception is not HallMonitorException)
        {
            // The ticket is issued (durable) whatever happens now: answering an error would have the kiosk issue
            // another. The queue finds the ticket in the journal when it is asked for it or hears of the next one.
            LogEnqueueFailed(_logger, exception, issued.TicketId);
            view = WaitingLine.View(records[^1], definition.Name);
        }

        return new IssuedTicket(view, transfer is null ? null : records[0]);
    }

    /// <summary>
    /// Deactivates as soon as idle, without waiting out the followers' long polls (seconds): until it is gone, every
    /// request to the hall waits, also those that would answer 503 while storage is away.
    /// </summary>
    private void Retire()
    {
        DeactivateOnIdle();
        _journal.WakeFollowers();
    }

    public async Task<JournalAppended> AppendAsync(JournalAppend append)
    {
        // Read in the same turn as the sequencing below, with no await between: nothing else is sequenced meanwhile.
        var previous = append.Own is { } own ? _journal.LastOf(own) : 0;
        var records = await _journal.AppendAsync(append.Events, append.At, append.Actor, expected: append.Expected);
        if (append.Queue is { } queue)
        {
            // With the commit, not in a call of its own: one message fewer for every take, cancel and expiry.
            _dispatch.Update(queue.Matter, queue.Head);
            if (queue.Taken)
            {
                await ReleaseClaimAsync(queue.Matter);
            }
        }

        return new JournalAppended(records, previous);
    }

    public async Task<long> SettleJournalAsync()
    {
        await _journal.WhenSettledAsync();
        return _journal.DurableSeq;
    }

    protected override Task<JournalAppended> WriteAsync(JournalAppend append) => AppendAsync(append);

    protected override Task<long> SettleWritesAsync() => SettleJournalAsync();

    public async Task<DispatchCandidate?> ClaimNextAsync(string windowId)
    {
        while (true)
        {
            if (_dispatch.Best(windowId) is not { } candidate)
            {
                return null;
            }

            var now = _time.GetUtcNow();
            if (!_claims.TryGetValue(candidate.Matter, out var claim) || now - claim.Since > ClaimLifetime)
            {
                // A claim older than a call timeout belongs to a window that never came back; it is void.
                claim?.Released.TrySetResult();
                _claims[candidate.Matter] = new Claim(now);
                return candidate;
            }

            await claim.Released.Task;
        }
    }

    public Task ReleaseClaimAsync(string matter)
    {
        if (_claims.Remove(matter, out var claim))
        {
            claim.Released.TrySetResult();
        }

        return Task.CompletedTask;
    }

    public Task ReportHeadAsync(string matter, QueueHead? head)
    {
        _dispatch.Update(matter, head);
        return Task.CompletedTask;
    }

    public async Task ApplyCommittedAsync(IReadOnlyList<JournalRecord> records)
    {
        var before = State.AppliedSeq;
        foreach (var record in records)
        {
            if (record.Seq > State.AppliedSeq + 1)
            {
                await CatchUpAsync(record.Seq - 1);
            }

            if (record.Seq == State.AppliedSeq + 1)
            {
                ApplyRecord(record);
            }
        }

        PublishGaugesIfMoved(before);
        await CheckpointIfBusyAsync();
    }

    public async Task<JournalPage> ReadJournalAsync(long fromSeq, int limit)
    {
        var records = await _journal.ReadAsync(new JournalQuery { AfterSeq = Math.Max(0, fromSeq - 1), Limit = limit });
        var next = records.Count == limit ? records[^1].Seq + 1 : (long?)null;
        return new JournalPage([.. records.Select(JournalEntry.From)], next);
    }

    public async Task<JournalVerification> VerifyJournalAsync()
    {
        // What the hall itself saw is the anchor against an edit that re-computed every hash after it.
        var anchors = new List<(long Seq, string Hash)>();
        if (State.LastHash is { } applied)
        {
            anchors.Add((State.AppliedSeq, applied));
        }

        if (_journal.DurableTail() is (var seq, { } written))
        {
            anchors.Add((seq, written));
        }

        // What the hall has seen before the reading starts must be there; events committed while it reads may or
        // may not be read, and are not missing if they are not.
        var seen = Math.Max(State.AppliedSeq, _journal.DurableSeq);

        // Hashing a year of events takes seconds: on the thread pool, not in the hall's turns, so that numbering
        // and dispatch go on meanwhile (the hall is reentrant; it awaits here like any other request).
        var verification = await Task.Run(() => _journal.VerifyAsync(anchors));
        if (verification.Ok && verification.LastSeq < seen)
        {
            // A hash chain cannot show that its tail was cut off; the hall's own position can.
            verification = verification with
            {
                Ok = false,
                FirstBadSeq = verification.LastSeq + 1,
                Problem = $"The journal ends at event {verification.LastSeq}, but the hall has seen event {seen}.",
            };
        }

        _metrics.JournalVerified(_hall.Id, verification.Ok);
        return verification;
    }

    public Task<long> EnsureActiveAsync() => Task.FromResult(State.AppliedSeq);

    public async Task ApplyConfigurationAsync(string sha256, IReadOnlyList<string> changes)
    {
        await CatchUpAsync(_journal.DurableSeq);
        if (State.ConfigurationSha256 == sha256)
        {
            return; // this file was taken up here already (a reload asked again)
        }

        await _journal.AppendAsync([new ConfigurationChanged(sha256, changes)], _hall.LocalTime(_time.GetUtcNow()), "admin");
        await CatchUpAsync(_journal.DurableSeq);

        // Every queue and window starts again from its checkpoint with the new definitions; those with clocks to run
        // (waiting tickets, a service under way) are woken at once, the hall itself by the next call or its reminder.
        await Task.WhenAll(_hall.Matters.Select(m => GrainFactory.GetMatter(_hall.Id, m.Code).ReloadAsync())
            .Concat(_hall.Windows.Select(w => GrainFactory.GetWindow(_hall.Id, w.Id).ReloadAsync())));
        DeactivateOnIdle();
        await WakeClocksAsync();
    }

    public async Task<LiveBatch> FollowAsync(long afterSeq, int limit, TimeSpan wait)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (afterSeq < 0)
        {
            return new LiveBatch(_journal.DurableSeq, []);
        }

        // Commits wake the wait; a follower never waits longer than its own messages may take.
        await _journal.WaitPastAsync(afterSeq, wait);
        var durable = _journal.DurableSeq;
        return new LiveBatch(durable, await _journal.ReadCommittedAsync(afterSeq, limit));
    }

    protected override void Apply(JournalRecord record)
    {
        State.Apply(record, _hall);
        if (!Restoring)
        {
            _metrics.Count(_hall.Id, record);
        }
    }

    /// <summary>Hands the gauges the hall again if the projection applied events since <paramref name="before"/>.</summary>
    private void PublishGaugesIfMoved(long before)
    {
        if (State.AppliedSeq != before)
        {
            PublishGauges();
        }
    }

    /// <summary>Hands the gauges the hall as the projection now stands.</summary>
    private void PublishGauges() => _metrics.Publish(_hall.Id, new HallGauges(
        State.Waiting.ToDictionary(p => p.Key, p => new QueueGauge(p.Value.Count, p.Value.Oldest?.IssuedAt), StringComparer.Ordinal),
        _hall.Windows.GroupBy(w => State.Windows.GetValueOrDefault(w.Id)?.State ?? WindowState.Closed).ToDictionary(g => g.Key, g => g.Count()),
        State.Alerts.Values.Where(a => a.State == AlertState.Open).GroupBy(a => a.Kind).ToDictionary(g => g.Key, g => g.Count()),
        [.. State.Cases.Values.Where(c => c.DecidedAt is null).Select(c => new CaseGauge(c.Matter, c.PromisedDue, c.StatutoryDue, c.PausedSince))]));

    /// <summary>Applies the durable events the projection has not seen yet, up to <paramref name="seq"/>.</summary>
    private async Task CatchUpAsync(long seq)
    {
        var start = State.AppliedSeq;
        while (State.AppliedSeq < seq)
        {
            var before = State.AppliedSeq;
            var records = await _journal.ReadAsync(new JournalQuery { AfterSeq = before, Limit = 5000 });
            foreach (var record in records.TakeWhile(r => r.Seq <= seq))
            {
                if (record.Seq == State.AppliedSeq + 1)
                {
                    ApplyRecord(record);
                }
            }

            if (State.AppliedSeq == before)
            {
                break;
            }
        }

        // Reads catch up first; most find nothing new, and then the gauges already show this state.
        PublishGaugesIfMoved(start);
        await CheckpointIfBusyAsync();
    }

    /// <summary>Reserves the next number of a prefix for the day; synchronous, so interleaved requests never share one.</summary>
    private int Reserve(DateOnly day, string prefix)
    {
        if (day != _reservedDay)
        {
            _reserved.Clear();
            _reservedDay = day;
        }

        var durable = State.ServiceDay == day ? State.Numbering.GetValueOrDefault(prefix) : 0;
        var next = Math.Max(durable, _reserved.GetValueOrDefault(prefix)) + 1;
        _reserved[prefix] = next;
        return next;
    }

    /// <summary>Open windows that serve the matter; if none is open, the windows configured for it.</summary>
    private int ServingWindows(string matter)
    {
        var open = _hall.Windows.Count(w => _hall.Serves(w.Id, matter)
            && State.Windows.TryGetValue(w.Id, out var slot) && slot.State is WindowState.Idle or WindowState.Calling or WindowState.Serving);
        return open > 0 ? open : Math.Max(1, _hall.Windows.Count(w => _hall.Serves(w.Id, matter)));
    }

    private WindowView WindowView(WindowDefinition window, DateOnly today)
    {
        var slot = State.Windows.GetValueOrDefault(window.Id) ?? new WindowSlot();
        return new WindowView
        {
            WindowId = window.Id,
            Name = window.Name,
            Kind = window.Kind,
            State = slot.State,
            Clerk = slot.Clerk,
            Ticket = slot.Ticket,
            StateSince = slot.StateSince == default ? _hall.StartOf(today) : slot.StateSince,
            ServedToday = State.ServiceDay == today ? slot.ServedToday : 0,
        };
    }

    /// <summary>Expires what is left of earlier service days and arms the timer for the next local midnight.</summary>
    /// <remarks>The timer and the wake reminder may both want it; the hall is reentrant, so one runs and the other joins it.</remarks>
    private Task RollOverAsync()
    {
        if (_rollingOver is { IsCompleted: false } running)
        {
            return running;
        }

        _rollingOver = RollOverOnceAsync();
        return _rollingOver;
    }

    private async Task RollOverOnceAsync()
    {
        while (_issuesInFlight > 0)
        {
            // A number issued just before midnight is still on its way to the journal; roll over once it is there
            // (the yield lets the issue's own continuation count it done).
            await _journal.WhenSettledAsync();
            await Task.Yield();
        }

        var today = _hall.ServiceDay(_time.GetUtcNow());
        try
        {
            await CatchUpAsync(_journal.DurableSeq);
            var stale = State.Waiting.Where(p => p.Value.IssuedBefore(today).Count > 0).Select(p => p.Key).ToList();
            foreach (var matter in stale)
            {
                await GrainFactory.GetMatter(_hall.Id, matter).ExpireBeforeAsync(today);
            }

            var windows = State.Windows.Where(p => p.Value.Ticket is { } t && TicketNumber.TryParseTicketId(t.TicketId, out var day) && day < today)
                .Select(p => p.Key).ToList();
            foreach (var window in windows)
            {
                await GrainFactory.GetWindow(_hall.Id, window).ExpireBeforeAsync(today);
            }

            if (stale.Count + windows.Count > 0)
            {
                LogRolledOver(_logger, _hall.Id, today, stale.Count, windows.Count);
            }

            await WakeClocksAsync();
            _rolledOverTo = today;
        }
        catch (Exception exception)
        {
            LogRollOverFailed(_logger, exception, _hall.Id);
            _rollOver?.Change(TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);
            return;
        }

        // From the time now, not from when the roll-over began: its awaits take time, and if the next midnight
        // passed meanwhile (a clock that jumped, a very long roll-over), the next day's roll-over is due at once.
        var next = _hall.StartOf(today.AddDays(1)) - _time.GetUtcNow();
        if (next <= TimeSpan.Zero)
        {
            await RollOverOnceAsync();
            return;
        }

        _rollOver?.Change(next, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Predicts the waiting tickets' calls and hands each queue the tickets newly predicted past their wait target
    /// while there is still time to act (before their wait warning), and those whose open prediction came back under
    /// <see cref="ImprovedRatio"/> of the target (hysteresis, so that a card does not flicker). A ticket gets at most
    /// one predicted-overtime alert a day; a matter no open window serves gets none (the forecast shows it unserved).
    /// </summary>
    private async Task PredictOvertimeAsync()
    {
        if (_corrupt is not null)
        {
            return;
        }

        try
        {
            await CatchUpAsync(_journal.DurableSeq);
            if (!State.Waiting.Values.Any(line => line.Count > 0))
            {
                return;
            }

            var now = _time.GetUtcNow();
            var prediction = CallPrediction.Predict(_hall, State, _hall.LocalTime(now), withTickets: true);
            var calls = new List<Task>();
            foreach (var matter in prediction.Matters)
            {
                var target = TimeSpan.FromSeconds(matter.WaitTargetSeconds);
                var warnAfter = target * _hall.Definition.WarnRatio;
                List<PredictedWait>? late = null;
                List<string>? improved = null;
                foreach (var ticket in matter.Tickets ?? [])
                {
                    if (State.Alerts.TryGetValue(MatterGrain.PredictedAlertId(ticket.TicketId), out var raised))
                    {
                        if (raised.State == AlertState.Open && ticket.CallAt is { } at && at - ticket.IssuedAt < target * ImprovedRatio)
                        {
                            (improved ??= []).Add(ticket.TicketId);
                        }
                    }
                    else if (ticket.CallAt is { } call && call - ticket.IssuedAt >= target && now < ticket.IssuedAt + warnAfter)
                    {
                        (late ??= []).Add(new PredictedWait(ticket.TicketId, (call - ticket.IssuedAt).TotalSeconds, call));
                    }
                }

                if (late is not null || improved is not null)
                {
                    calls.Add(GrainFactory.GetMatter(_hall.Id, matter.Matter).PredictedAsync(late ?? [], improved ?? []));
                }
            }

            await Task.WhenAll(calls);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The next tick predicts again.
            LogPredictionFailed(_logger, exception, _hall.Id);
        }
    }

    /// <summary>
    /// Activates the matters with waiting tickets or open alerts and the windows serving someone, so that
    /// their alert clocks run after a restart even if nobody calls them.
    /// </summary>
    private async Task WakeClocksAsync()
    {
        var matters = State.Waiting.Where(p => p.Value.Count > 0).Select(p => p.Key)
            .Concat(State.Alerts.Values.Where(a => a.State == AlertState.Open && a.Kind is AlertKind.WaitOvertime or AlertKind.QueueBacklog).Select(a => a.Matter))
            .Distinct(StringComparer.Ordinal);
        var windows = State.Windows.Where(p => p.Value.State == WindowState.Serving).Select(p => p.Key)
            .Concat(State.Alerts.Values.Where(a => a.State == AlertState.Open && a.Kind == AlertKind.HandleOvertime).Select(a => a.Window!))
            .Distinct(StringComparer.Ordinal);
        await Task.WhenAll(matters.Where(m => _hall.TryGetMatter(m, out _)).Select(m => GrainFactory.GetMatter(_hall.Id, m).WakeAsync())
            .Concat(windows.Where(w => _hall.TryGetWindow(w, out _)).Select(w => GrainFactory.GetWindow(_hall.Id, w).WakeAsync()))
            .Concat(CasesWithCardsDue().Select(c => GrainFactory.GetCase(_hall.Id, c).WakeAsync()))
            .Concat(FollowUpsWithCardsDue().Select(f => GrainFactory.GetFollowUp(_hall.Id, f).WakeAsync())));
    }

    /// <summary>
    /// The cases whose next card comes due before the next wake (or is overdue), and those decided with a card still
    /// open: only those are brought back, however many cases the hall has.
    /// </summary>
    private IEnumerable<string> CasesWithCardsDue()
    {
        var horizon = _time.GetUtcNow() + _clocks.WakePeriod;
        foreach (var listed in State.Cases.Values)
        {
            var deadline = OpenAlert(CaseClock.DeadlineAlertId(listed.CaseId));
            var statutory = OpenAlert(CaseClock.StatutoryAlertId(listed.CaseId));
            var due = listed.DecidedAt is not null
                ? (deadline ?? statutory) is not null
                : CaseClock.NextCard(_hall, listed, deadline, statutory) <= horizon;
            if (due)
            {
                yield return listed.CaseId;
            }
        }
    }

    /// <summary>The open follow-ups whose overdue card comes due before the next wake and is not raised yet.</summary>
    private IEnumerable<string> FollowUpsWithCardsDue()
    {
        var horizon = _time.GetUtcNow() + _clocks.WakePeriod;
        return State.FollowUps.Values
            .Where(f => f.State == FollowUpState.Open && f.Due <= horizon && OpenAlert(CaseClock.FollowUpAlertId(f.FollowUpId)) is null)
            .Select(f => f.FollowUpId);
    }

    private AlertView? OpenAlert(string alertId) =>
        State.Alerts.TryGetValue(alertId, out var alert) && alert.State == AlertState.Open ? alert : null;

    private static double Seconds(TimeSpan duration) => Seconds(duration.TotalSeconds);

    /// <summary>A window is taking the head of a matter; others wanting that matter wait for its release.</summary>
    private sealed record Claim(DateTimeOffset Since)
    {
        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static double Seconds(double seconds) => Math.Round(Math.Max(0, seconds), 1);

    private static double Rate(int part, int whole) => Math.Round((double)part / whole, 4);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hall {HallId} rolled over to {Today}: expired the leftovers of {Matters} queues and {Windows} windows")]
    private static partial void LogRolledOver(ILogger logger, string hallId, DateOnly today, int matters, int windows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ticket {TicketId} is issued, but its queue did not take it in line now; it reads it from the journal")]
    private static partial void LogEnqueueFailed(ILogger logger, Exception exception, string ticketId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hall {HallId} could not catch up before its last checkpoint; its next activation replays the rest")]
    private static partial void LogFinalCatchUpFailed(ILogger logger, Exception exception, string hallId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Predicting the calls of hall {HallId} failed; the next tick predicts again")]
    private static partial void LogPredictionFailed(ILogger logger, Exception exception, string hallId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waking the clocks of hall {HallId} failed; the next reminder tick tries again")]
    private static partial void LogWakeFailed(ILogger logger, Exception exception, string hallId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Roll-over of hall {HallId} failed; retrying in a minute")]
    private static partial void LogRollOverFailed(ILogger logger, Exception exception, string hallId);
}
