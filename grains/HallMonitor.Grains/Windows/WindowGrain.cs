using Microsoft.Extensions.Logging;

namespace HallMonitor.Grains;

/// <summary>A window's state machine and the ticket at it, rebuilt from the journal.</summary>
public sealed class WindowRecord : JournaledState
{
    public WindowState State { get; set; } = WindowState.Closed;

    public string? Clerk { get; set; }

    public CurrentTicket? Ticket { get; set; }

    public DateTimeOffset StateSince { get; set; }

    public DateOnly ServedDay { get; set; }

    public int ServedToday { get; set; }

    /// <summary>The open alert on the service at the window.</summary>
    public AlertView? HandleAlert { get; set; }
}

/// <summary>The ticket being called or served at a window.</summary>
public sealed record CurrentTicket(
    string TicketId,
    string Number,
    string Matter,
    bool Priority,
    TicketChannel Channel,
    DateTimeOffset IssuedAt,
    DateTimeOffset CalledAt,
    double WaitSeconds,
    DateTimeOffset? StartedAt = null,
    int Recalls = 0);

/// <summary>
/// A service window. Its own turns are the only place its state changes: each action checks the state,
/// writes its event to the journal, and only then changes the state and answers. An action that does not
/// fit the state is refused with <see cref="ConflictException"/> and writes nothing. While a service runs,
/// a grain timer watches its handling time against the matter's target and raises the overtime alert.
/// </summary>
public sealed partial class WindowGrain : JournaledGrain<WindowRecord>, IWindowGrain
{
    private const int DispatchAttempts = 64;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private readonly HallCatalog _catalog;
    private readonly HallJournals _journals;
    private readonly TimeProvider _time;
    private readonly ILogger<WindowGrain> _logger;
    private Hall _hall = null!;
    private WindowDefinition _window = null!;
    private HallJournal _journal = null!;
    private IGrainTimer? _handleTimer;

    public WindowGrain(
        HallCatalog catalog,
        HallJournals journals,
        TimeProvider time,
        ILogger<WindowGrain> logger,
        [PersistentState("window")] IPersistentState<WindowRecord> record)
        : base(record, logger)
    {
        _catalog = catalog;
        _journals = journals;
        _time = time;
        _logger = logger;
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (hallId, windowId) = GrainKeys.Split(this.GetPrimaryKeyString());
        _hall = _catalog.GetHall(hallId);
        _window = _hall.GetWindow(windowId);
        _journal = _journals.Get(hallId);
        await RestoreAsync(_journal, after => new JournalQuery { AfterSeq = after, WindowId = windowId, Limit = 5000 }, cancellationToken);

        // The service clock resumes where it stood; a moment that passed while the silo was down is due at once.
        _handleTimer = ArmClock(null, SettleAsync, TimeSpan.Zero);
    }

    protected override JournalStream? Stream => JournalStream.Window(_window.Id);

    protected override string Describe() => _window.Name;

    public async Task<WindowView> GetAsync()
    {
        await CatchUpIfBehindAsync();
        return View();
    }

    public async Task<WindowView> OpenAsync(string clerk)
    {
        if (State.State != WindowState.Closed)
        {
            throw new ConflictException($"{_window.Name} is already open (clerk {State.Clerk}).");
        }

        await AppendAsync(new WindowOpened(_window.Id, clerk), clerk);
        return View();
    }

    public async Task<WindowView> PauseAsync(string? clerk)
    {
        Require(WindowState.Idle, "pause", clerk);
        await AppendAsync(new WindowPaused(_window.Id, State.Clerk!), State.Clerk!);
        return View();
    }

    public async Task<WindowView> ResumeAsync(string? clerk)
    {
        Require(WindowState.Paused, "resume", clerk);
        await AppendAsync(new WindowResumed(_window.Id, State.Clerk!), State.Clerk!);
        return View();
    }

    public async Task<WindowView> CloseAsync(string? clerk)
    {
        if (State.State is not (WindowState.Idle or WindowState.Paused))
        {
            throw Refuse("close", "finish or release the current ticket first");
        }

        CheckClerk(clerk);
        await AppendAsync(new WindowClosed(_window.Id, State.Clerk!), State.Clerk!);
        return View();
    }

    public async Task<TicketView?> CallNextAsync()
    {
        await CatchUpIfBehindAsync();
        Require(WindowState.Idle, "call the next number", clerk: null);
        var hall = GrainFactory.GetHall(_hall.Id);
        for (var attempt = 0; attempt < DispatchAttempts; attempt++)
        {
            if (await hall.ClaimNextAsync(_window.Id) is not { } candidate)
            {
                return null;
            }

            // A take's append ends the claim with its commit; every other way out of the take ends it here.
            JournalRecord? taken;
            try
            {
                taken = await GrainFactory.GetMatter(_hall.Id, candidate.Matter).TryTakeAsync(candidate.TicketId, _window.Id, State.Clerk!, State.AppliedSeq);
            }
            catch (StaleStreamException stale) when (stale.Stream == Stream)
            {
                // An earlier call of this window went through after it had timed out.
                await hall.ReleaseClaimAsync(candidate.Matter);
                await CatchUpOrRefuseAsync();
                continue;
            }
            catch (Exception exception)
            {
                await hall.ReleaseClaimAsync(candidate.Matter);
                if (exception is not HallMonitorException)
                {
                    // The queue may have journaled the call all the same: trust the journal, not the silence.
                    FallBehind();
                }

                throw;
            }

            if (taken is null)
            {
                await hall.ReleaseClaimAsync(candidate.Matter);
            }

            // Null only when the hall's index was behind the queue; the matter has corrected it, so look again.
            if (taken is not null)
            {
                ApplyRecord(taken);
                return TicketView(TicketState.Called);
            }
        }

        throw new ConflictException("The dispatch index kept disagreeing with the queues; call again.");
    }

    public async Task<TicketView> RecallAsync()
    {
        var ticket = RequireTicket(WindowState.Calling, "recall");
        await AppendAsync(new TicketRecalled(ticket.TicketId, ticket.Number, ticket.Matter, _window.Id, State.Clerk!, ticket.Recalls + 1), State.Clerk!);
        return TicketView(TicketState.Called);
    }

    public async Task<TicketView> StartAsync()
    {
        var ticket = RequireTicket(WindowState.Calling, "start serving");
        await AppendAsync(new ServiceStarted(ticket.TicketId, ticket.Number, ticket.Matter, _window.Id, State.Clerk!), State.Clerk!);
        return TicketView(TicketState.Serving);
    }

    public async Task<TicketView> CompleteAsync()
    {
        var ticket = RequireTicket(WindowState.Serving, "complete");
        var view = TicketView(TicketState.Completed);
        var events = Ending(new ServiceCompleted(ticket.TicketId, ticket.Number, ticket.Matter, _window.Id, State.Clerk!, Elapsed(ticket.StartedAt!.Value)), "completed");
        var opened = OpenCase(ticket);
        if (opened is not null)
        {
            events.Add(opened);
        }

        var records = await AppendAsync(events, State.Clerk!);
        return Finished(view, records[0]) with { CaseId = opened?.CaseId, LookupCode = opened?.LookupCode };
    }

    /// <summary>
    /// The case a completed service accepts when its matter has a promised time limit (受理): its id is the ticket's,
    /// its lookup code six random digits from the cryptographic generator, its deadlines counted from now. None when a
    /// deadline falls in a year the hall's calendar does not cover: the service still completes (a window must never
    /// be stuck on a missing calendar year), and the warning names the year to add.
    /// </summary>
    private CaseOpened? OpenCase(CurrentTicket ticket)
    {
        if (!_hall.TryGetMatter(ticket.Matter, out var matter) || matter.PromisedDays is not { } promisedDays)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        DateTimeOffset promisedDue;
        DateTimeOffset? statutoryDue;
        try
        {
            promisedDue = _hall.Deadline(now, promisedDays);
            statutoryDue = matter.StatutoryDays is { } statutoryDays ? _hall.Deadline(now, statutoryDays) : null;
        }
        catch (CalendarYearNotCoveredException exception)
        {
            LogCaseNotOpened(_logger, ticket.TicketId, exception.Message);
            return null;
        }

        var code = System.Security.Cryptography.RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        return new CaseOpened(
            ticket.TicketId,
            ticket.Number,
            ticket.Matter,
            ticket.TicketId,
            code,
            _window.Id,
            State.Clerk!,
            promisedDays,
            matter.StatutoryDays,
            promisedDue,
            statutoryDue);
    }

    public async Task<TicketView> NoShowAsync()
    {
        var ticket = RequireTicket(WindowState.Calling, "mark a no-show");
        var view = TicketView(TicketState.NoShow);
        var records = await AppendAsync(Ending(new TicketNoShow(ticket.TicketId, ticket.Number, ticket.Matter, _window.Id, State.Clerk!), "noShow"), State.Clerk!);
        return Finished(view, records[0]);
    }

    public async Task<TicketView> TransferAsync(string matter)
    {
        var ticket = RequireTicket(WindowState.Serving, "transfer");
        var target = _hall.GetMatter(matter);
        if (target.Code == ticket.Matter)
        {
            throw new InvalidRequestException($"Ticket {ticket.Number} is already for {target.Name}; transfer it to another matter.");
        }

        var source = new TransferSource(ticket.TicketId, ticket.Number, ticket.Matter, ticket.Priority, _window.Id, State.Clerk!, ticket.StartedAt!.Value, State.AppliedSeq);
        TransferOutcome outcome;
        try
        {
            outcome = await GrainFactory.GetMatter(_hall.Id, target.Code).IssueTransferAsync(source);
        }
        catch (StaleStreamException stale) when (stale.Stream == Stream)
        {
            await CatchUpOrRefuseAsync();
            throw new ConflictException($"{_window.Name} changed while the transfer was on its way; look again and retry.");
        }
        catch (Exception exception) when (exception is not HallMonitorException)
        {
            FallBehind();
            throw;
        }

        ApplyRecord(outcome.Transferred);

        // The transfer is journaled by the hall; the alert on the ended service follows it (or, should this
        // fail, the next settle resolves it).
        await SettleAsync();
        return outcome.NewLeg;
    }

    public async Task<bool> ExpireBeforeAsync(DateOnly today)
    {
        if (State.Ticket is not { } ticket || !TicketNumber.TryParseTicketId(ticket.TicketId, out var day) || day >= today)
        {
            return false;
        }

        var from = State.State == WindowState.Serving ? TicketState.Serving : TicketState.Called;
        await AppendAsync(Ending(new TicketExpired(ticket.TicketId, ticket.Number, ticket.Matter, _window.Id, from, day), "expired"), "system");
        return true;
    }

    public async Task<AlertView> AcknowledgeAlertAsync(string alertId, string by)
    {
        if (State.HandleAlert is not { } alert || alert.AlertId != alertId)
        {
            throw new ConflictException($"Alert {alertId} is no longer open.");
        }

        if (alert.AcknowledgedAt is { } at)
        {
            throw new ConflictException($"Alert {alertId} was already acknowledged by {alert.AcknowledgedBy} at {_hall.LocalTime(at):HH:mm:ss}.");
        }

        var records = await AppendAsync([new AlertAcknowledged(alert with { AcknowledgedAt = _hall.LocalTime(_time.GetUtcNow()), AcknowledgedBy = by })], by);
        return ((IAlertEvent)records[0].Event).Alert;
    }

    public Task WakeAsync() => SettleAsync();

    public Task ReloadAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    protected override void Apply(JournalRecord record)
    {
        var at = record.At;
        switch (record.Event)
        {
            case WindowOpened opened:
                State.Clerk = opened.Clerk;
                Move(WindowState.Idle, at);
                break;
            case WindowPaused:
                Move(WindowState.Paused, at);
                break;
            case WindowResumed:
                Move(WindowState.Idle, at);
                break;
            case WindowClosed:
                State.Clerk = null;
                State.Ticket = null;
                Move(WindowState.Closed, at);
                break;
            case TicketCalled called:
                State.Ticket = new CurrentTicket(called.TicketId, called.Number, called.Matter, called.Priority, called.Channel, called.IssuedAt, at, called.WaitSeconds);
                Move(WindowState.Calling, at);
                break;
            case TicketRecalled recalled when State.Ticket is not null:
                State.Ticket = State.Ticket with { Recalls = recalled.Recalls };
                break;
            case ServiceStarted when State.Ticket is not null:
                State.Ticket = State.Ticket with { StartedAt = at };
                Move(WindowState.Serving, at);
                break;
            case ServiceCompleted:
                CountServed(at);
                State.Ticket = null;
                Move(WindowState.Idle, at);
                break;
            case TicketNoShow or TicketTransferred or TicketExpired:
                State.Ticket = null;
                Move(WindowState.Idle, at);
                break;
            case IAlertEvent { Alert: { Kind: AlertKind.HandleOvertime } alert }:
                State.HandleAlert = record.Event is AlertResolved ? null : alert;
                break;
        }
    }

    private async Task<JournalRecord> AppendAsync(HallEvent hallEvent, string actor) => (await AppendAsync([hallEvent], actor))[0];

    private async Task<IReadOnlyList<JournalRecord>> AppendAsync(IReadOnlyList<HallEvent> events, string actor)
    {
        var records = await AppendAsync(events, _hall.LocalTime(_time.GetUtcNow()), actor);
        ArmHandleTimer();
        return records;
    }

    /// <summary>Catches up with what the journal holds for this window; a call that went through late is a conflict.</summary>
    private async Task CatchUpOrRefuseAsync()
    {
        if (await CatchUpAsync() > 0)
        {
            throw new ConflictException(State.Ticket is { } ticket
                ? $"{_window.Name} is {State.State.ToString().ToLowerInvariant()} {ticket.Number}: an earlier request went through after it had timed out. Nothing else was changed."
                : $"{_window.Name} changed while this request was on its way; nothing was changed. Look again and retry.");
        }
    }

    protected override Task OnCaughtUpAsync()
    {
        ArmHandleTimer();
        return Task.CompletedTask;
    }

    /// <summary>The events of a ticket leaving the window: the ending itself and the service's alert resolved.</summary>
    private List<HallEvent> Ending(HallEvent ending, string resolution)
    {
        var events = new List<HallEvent> { ending };
        if (State.HandleAlert is { } alert)
        {
            events.Add(new AlertResolved(Resolved(alert, _time.GetUtcNow(), resolution)));
        }

        return events;
    }

    /// <summary>
    /// Journals what the service clock calls for now (raise, escalate, or resolve an alert left without a
    /// service) and points the clock at the next threshold; if the journal cannot take it, tries again shortly.
    /// </summary>
    private async Task SettleAsync()
    {
        try
        {
            var events = HandleAlertChanges(_time.GetUtcNow());
            if (events.Count > 0)
            {
                await AppendAsync(events, "system");
            }
        }
        catch (JournalUnavailableException exception)
        {
            LogAlertsDeferred(_logger, exception, this.GetGrainId());
            ArmHandleTimer(RetryDelay);
            return;
        }

        ArmHandleTimer();
    }

    private List<HallEvent> HandleAlertChanges(DateTimeOffset now)
    {
        var events = new List<HallEvent>();
        var local = _hall.LocalTime(now);
        var serving = State.State == WindowState.Serving && State.Ticket is { StartedAt: not null } ? State.Ticket : null;
        if (serving is null)
        {
            if (State.HandleAlert is { } orphan)
            {
                events.Add(new AlertResolved(Resolved(orphan, now, "ended")));
            }

            return events;
        }

        var (warnAt, overtimeAt, target) = Thresholds(serving);
        var handled = Math.Round((now - serving.StartedAt!.Value).TotalSeconds, 1);
        switch (State.HandleAlert)
        {
            case null when now >= warnAt:
                var overtime = now >= overtimeAt;
                events.Add(new AlertRaised(new AlertView
                {
                    AlertId = $"handle-{serving.TicketId}",
                    Kind = AlertKind.HandleOvertime,
                    Level = overtime ? AlertLevel.Overtime : AlertLevel.Warning,
                    State = AlertState.Open,
                    Matter = serving.Matter,
                    Window = _window.Id,
                    TicketId = serving.TicketId,
                    Number = serving.Number,
                    Target = target,
                    Value = handled,
                    Since = serving.StartedAt,
                    RaisedAt = local,
                    EscalatedAt = overtime ? local : null,
                }));
                break;
            case { Level: AlertLevel.Warning } open when now >= overtimeAt:
                events.Add(new AlertEscalated(open with { Level = AlertLevel.Overtime, Value = handled, EscalatedAt = local }));
                break;
        }

        return events;
    }

    /// <summary>Points the service clock at the next threshold of the current service, or lets it go.</summary>
    private void ArmHandleTimer(TimeSpan? after = null)
    {
        DateTimeOffset? next = null;
        if (State.State == WindowState.Serving && State.Ticket is { StartedAt: not null } serving)
        {
            var (warnAt, overtimeAt, _) = Thresholds(serving);
            next = State.HandleAlert switch
            {
                null => warnAt,
                { Level: AlertLevel.Warning } => overtimeAt,
                _ => null,
            };
        }
        else if (State.HandleAlert is not null)
        {
            next = _time.GetUtcNow();
        }

        if (next is null && after is null)
        {
            _handleTimer?.Dispose();
            _handleTimer = null;
            return;
        }

        _handleTimer = ArmClock(_handleTimer, SettleAsync, after ?? next!.Value - _time.GetUtcNow());
    }

    private (DateTimeOffset WarnAt, DateTimeOffset OvertimeAt, double Target) Thresholds(CurrentTicket ticket)
    {
        var target = _hall.TryGetMatter(ticket.Matter, out var matter) ? matter.HandleTargetSeconds : 0;
        var started = ticket.StartedAt!.Value;
        return (started + TimeSpan.FromSeconds(target * _hall.Definition.WarnRatio), started + TimeSpan.FromSeconds(target), target);
    }

    private AlertView Resolved(AlertView alert, DateTimeOffset now, string resolution) => alert with
    {
        State = AlertState.Resolved,
        Value = alert.Since is { } since ? Math.Round((now - since).TotalSeconds, 1) : alert.Value,
        ResolvedAt = _hall.LocalTime(now),
        Resolution = resolution,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ticket {TicketId} completed without opening its case: {Problem}")]
    private static partial void LogCaseNotOpened(ILogger logger, string ticketId, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alerts of {GrainId} could not be journaled; retrying")]
    private static partial void LogAlertsDeferred(ILogger logger, Exception exception, GrainId grainId);

    private void Move(WindowState state, DateTimeOffset at)
    {
        State.State = state;
        State.StateSince = at;
    }

    private void CountServed(DateTimeOffset at)
    {
        var day = _hall.ServiceDay(at);
        if (day != State.ServedDay)
        {
            State.ServedDay = day;
            State.ServedToday = 0;
        }

        State.ServedToday++;
    }

    private void Require(WindowState state, string action, string? clerk)
    {
        if (State.State != state)
        {
            throw Refuse(action, state switch
            {
                WindowState.Idle => "it must be open and idle",
                WindowState.Paused => "it is not paused",
                _ => $"it must be {state}",
            });
        }

        CheckClerk(clerk);
    }

    private CurrentTicket RequireTicket(WindowState state, string action)
    {
        if (State.State != state || State.Ticket is null)
        {
            throw Refuse(action, state == WindowState.Calling ? "no number is being called" : "no ticket is being served");
        }

        return State.Ticket;
    }

    private void CheckClerk(string? clerk)
    {
        if (clerk is not null && State.Clerk is not null && clerk != State.Clerk)
        {
            throw new ConflictException($"{_window.Name} is operated by clerk {State.Clerk}, not {clerk}.");
        }
    }

    private ConflictException Refuse(string action, string reason) =>
        new($"Cannot {action} at {_window.Name}: it is {State.State.ToString().ToLowerInvariant()}, and {reason}.");

    private double Elapsed(DateTimeOffset since) => Math.Round(Math.Max(0, (_time.GetUtcNow() - since).TotalSeconds), 1);

    private WindowView View()
    {
        var today = _hall.ServiceDay(_time.GetUtcNow());
        return new WindowView
        {
            WindowId = _window.Id,
            Name = _window.Name,
            Kind = _window.Kind,
            State = State.State,
            Clerk = State.Clerk,
            Ticket = State.Ticket is { } t
                ? new WindowTicket
                {
                    TicketId = t.TicketId,
                    Number = t.Number,
                    Matter = t.Matter,
                    State = t.StartedAt is null ? TicketState.Called : TicketState.Serving,
                    Priority = t.Priority,
                    IssuedAt = t.IssuedAt,
                    CalledAt = t.CalledAt,
                    StartedAt = t.StartedAt,
                    Recalls = t.Recalls,
                }
                : null,
            StateSince = State.StateSince == default ? _hall.StartOf(today) : State.StateSince,
            ServedToday = State.ServedDay == today ? State.ServedToday : 0,
        };
    }

    /// <summary>The ticket at the window as it is now.</summary>
    private TicketView TicketView(TicketState state)
    {
        var t = State.Ticket!;
        return new TicketView
        {
            TicketId = t.TicketId,
            Number = t.Number,
            Matter = t.Matter,
            MatterName = _hall.TryGetMatter(t.Matter, out var matter) ? matter.Name : null,
            Channel = t.Channel,
            Priority = t.Priority,
            State = state,
            IssuedAt = t.IssuedAt,
            CalledAt = t.CalledAt,
            StartedAt = t.StartedAt,
            Window = _window.Id,
            Clerk = State.Clerk,
            Recalls = t.Recalls,
            WaitSeconds = t.WaitSeconds,
            HandleSeconds = t.StartedAt is { } started ? Elapsed(started) : null,
        };
    }

    private static TicketView Finished(TicketView view, JournalRecord record) => view with
    {
        FinishedAt = record.At,
        HandleSeconds = record.Event is ServiceCompleted completed ? completed.HandleSeconds : view.HandleSeconds,
    };
}
