using Microsoft.Extensions.Logging;

namespace HallMonitor.Grains;

/// <summary>A case as its journal events tell it: the opening, the steps, the deadlines and the open cards.</summary>
public sealed class CaseRecord : JournaledState
{
    public CaseOpened? Opened { get; set; }

    public DateTimeOffset AcceptedAt { get; set; }

    public CaseState State { get; set; }

    public List<CaseStepView> Steps { get; set; } = [];

    public int PausedDays { get; set; }

    public DateTimeOffset? PausedSince { get; set; }

    public DateTimeOffset PromisedDue { get; set; }

    public DateTimeOffset? StatutoryDue { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public AlertView? DeadlineAlert { get; set; }

    public AlertView? StatutoryAlert { get; set; }
}

/// <summary>
/// A case (办件): one grain per case, keyed by hall and case id, whose events are its ticket's journal events.
/// </summary>
/// <remarks>
/// One grain per case rather than one book per hall: a case is decided over days by people who touch only that case,
/// so a grain per case keeps each step a turn of its own (no hall-wide bottleneck), is collected when idle (a hall
/// accumulates thousands of cases), and restores from the journal's existing ticket index (the case id is the
/// accepting ticket's id) without a new index in either store. The hall's projection lists the cases and knows from
/// their deadlines and cards which ones have a card coming due, and its wake reminder brings exactly those back;
/// the case's own grain timer gives the exact moment.
/// </remarks>
public sealed partial class CaseGrain : JournaledGrain<CaseRecord>, ICaseGrain
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>A grain timer cannot wait 49 days; a case's next card can be further away, so the clock looks again daily.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    private readonly HallCatalog _catalog;
    private readonly HallJournals _journals;
    private readonly TimeProvider _time;
    private readonly ILogger<CaseGrain> _logger;
    private Hall _hall = null!;
    private HallJournal _journal = null!;
    private string _caseId = null!;
    private bool _restored;
    private IGrainTimer? _cardTimer;

    public CaseGrain(
        HallCatalog catalog,
        HallJournals journals,
        TimeProvider time,
        ILogger<CaseGrain> logger,
        [PersistentState("case")] IPersistentState<CaseRecord> record)
        : base(record, logger)
    {
        _catalog = catalog;
        _journals = journals;
        _time = time;
        _logger = logger;
    }

    protected override JournalStream? Stream => JournalStream.Case(_caseId);

    protected override string Describe() => $"Case {_caseId}";

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (hallId, caseId) = GrainKeys.Split(this.GetPrimaryKeyString());
        _hall = _catalog.GetHall(hallId);
        _journal = _journals.Get(hallId);
        _caseId = caseId;
        return Task.CompletedTask;
    }

    public async Task<CaseView> GetAsync()
    {
        await EnsureOpenedAsync();
        await CatchUpIfBehindAsync();
        return View(withSecrets: true);
    }

    public async Task<CaseProgress> GetProgressAsync(string lookupCode)
    {
        await EnsureOpenedAsync();
        if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(lookupCode), System.Text.Encoding.ASCII.GetBytes(State.Opened!.LookupCode)))
        {
            throw NotFound();
        }

        return new CaseProgress
        {
            CaseId = _caseId,
            Matter = State.Opened.Matter,
            MatterName = MatterName(),
            State = State.State,
            AcceptedAt = State.AcceptedAt,
            PromisedDue = State.PromisedDue,
            Steps = [.. State.Steps.Select(s => new CaseProgressStep(s.Step, s.At))],
        };
    }

    public async Task<CaseView> StepAsync(CaseStep step, string by, string? note)
    {
        await EnsureOpenedAsync();
        await CatchUpIfBehindAsync();
        var next = Next(State.State, step)
            ?? throw new ConflictException($"Case {_caseId} is {Words(State.State)}; it cannot {Words(step)} now ({Expected(State.State)}). Nothing was changed.");

        var now = _time.GetUtcNow();
        var local = _hall.LocalTime(now);
        var opened = State.Opened!;
        var paused = State.PausedDays;
        var promisedDue = State.PromisedDue;
        var statutoryDue = State.StatutoryDue;
        if (step == CaseStep.Resume)
        {
            // The days the case waited for materials do not count: the deadlines move by the working days it lasted.
            paused += _hall.Calendar.WorkingDaysBetween(_hall.ServiceDay(State.PausedSince!.Value), _hall.ServiceDay(now));
            promisedDue = _hall.Deadline(State.AcceptedAt, opened.PromisedDays, paused);
            statutoryDue = opened.StatutoryDays is { } statutoryDays ? _hall.Deadline(State.AcceptedAt, statutoryDays, paused) : null;
        }

        var events = new List<HallEvent>
        {
            new CaseStepped(opened.TicketId, opened.Number, opened.Matter, _caseId, step, next, by, note, paused, promisedDue, statutoryDue),
        };
        if (step == CaseStep.Decide)
        {
            AddResolved(events, State.DeadlineAlert, now, "decided");
            AddResolved(events, State.StatutoryAlert, now, "decided");
        }

        await AppendAsync(events, local, by);

        // A resume moves the deadlines: the cards follow at once (a card the moved deadline no longer calls for resolves).
        await SettleAsync();
        return View(withSecrets: true);
    }

    public async Task<AlertView> AcknowledgeAlertAsync(string alertId, string by)
    {
        await EnsureOpenedAsync();
        var alert = new[] { State.DeadlineAlert, State.StatutoryAlert }.FirstOrDefault(a => a?.AlertId == alertId)
            ?? throw new ConflictException($"Alert {alertId} is no longer open.");
        if (alert.AcknowledgedAt is { } at)
        {
            throw new ConflictException($"Alert {alertId} was already acknowledged by {alert.AcknowledgedBy} at {_hall.LocalTime(at):HH:mm:ss}.");
        }

        var now = _hall.LocalTime(_time.GetUtcNow());
        var records = await AppendAsync([new AlertAcknowledged(alert with { AcknowledgedAt = now, AcknowledgedBy = by })], now, by);
        return ((IAlertEvent)records[0].Event).Alert;
    }

    public async Task WakeAsync()
    {
        await EnsureOpenedAsync();
        await SettleAsync();
    }

    /// <summary>
    /// Restores the case from the journal the first time it is asked for, if it exists: an id that names no case
    /// (a visitor's typo, a probe) leaves no checkpoint and no activation behind.
    /// </summary>
    private async Task EnsureOpenedAsync()
    {
        if (_restored)
        {
            return;
        }

        await RestoreTicketEventsAsync<CaseOpened>(_journal, _caseId, checkpointed: State.Opened is not null, NotFound);
        _restored = true;
        ArmCardTimer();
    }

    protected override void Apply(JournalRecord record)
    {
        switch (record.Event)
        {
            case CaseOpened opened:
                State.Opened = opened;
                State.AcceptedAt = record.At;
                State.State = CaseState.Accepted;
                State.PromisedDue = opened.PromisedDue;
                State.StatutoryDue = opened.StatutoryDue;
                State.Steps.Add(new CaseStepView(CaseStep.Accepted, record.At, opened.Clerk, null));
                break;
            case CaseStepped stepped:
                State.State = stepped.State;
                State.PausedDays = stepped.PausedDays;
                State.PromisedDue = stepped.PromisedDue;
                State.StatutoryDue = stepped.StatutoryDue;
                State.PausedSince = stepped.Step == CaseStep.AwaitMaterials ? record.At : stepped.Step == CaseStep.Resume ? null : State.PausedSince;
                State.DecidedAt = stepped.Step == CaseStep.Decide ? record.At : State.DecidedAt;
                State.Steps.Add(new CaseStepView(stepped.Step, record.At, stepped.By, stepped.Note));
                break;
            case IAlertEvent { Alert: { Kind: AlertKind.CaseDeadline } alert }:
                State.DeadlineAlert = record.Event is AlertResolved ? null : alert;
                break;
            case IAlertEvent { Alert: { Kind: AlertKind.CaseStatutoryOverdue } alert }:
                State.StatutoryAlert = record.Event is AlertResolved ? null : alert;
                break;
        }
    }

    protected override Task OnCaughtUpAsync()
    {
        ArmCardTimer();
        return Task.CompletedTask;
    }

    /// <summary>The state a step leads to from <paramref name="state"/>, or null when it is out of order.</summary>
    public static CaseState? Next(CaseState state, CaseStep step) => (state, step) switch
    {
        (CaseState.Accepted, CaseStep.Review) => CaseState.InReview,
        (CaseState.Accepted or CaseState.InReview, CaseStep.AwaitMaterials) => CaseState.AwaitingMaterials,
        (CaseState.AwaitingMaterials, CaseStep.Resume) => CaseState.InReview,
        (CaseState.InReview, CaseStep.Decide) => CaseState.Decided,
        (CaseState.Decided, CaseStep.Deliver) => CaseState.Delivered,
        _ => null,
    };

    /// <summary>Journals the cards the clock calls for now, then points the timer at the next one.</summary>
    private async Task SettleAsync()
    {
        try
        {
            var events = CardChanges(_time.GetUtcNow());
            if (events.Count > 0)
            {
                await AppendAsync(events, _hall.LocalTime(_time.GetUtcNow()), "system");
            }
        }
        catch (JournalUnavailableException exception)
        {
            LogCardsDeferred(_logger, exception, _caseId);
            _cardTimer = ArmClock(_cardTimer, SettleAsync, RetryDelay);
            return;
        }

        ArmCardTimer();
    }

    private List<HallEvent> CardChanges(DateTimeOffset now)
    {
        var events = new List<HallEvent>();
        if (State.Opened is not { } opened)
        {
            return events;
        }

        if (State.State is CaseState.Decided or CaseState.Delivered)
        {
            AddResolved(events, State.DeadlineAlert, now, "decided");
            AddResolved(events, State.StatutoryAlert, now, "decided");
            return events;
        }

        if (State.State == CaseState.AwaitingMaterials)
        {
            return events; // the clock is stopped
        }

        var level = CaseClock.Level(_hall, State.PromisedDue, State.StatutoryDue, now);
        var local = _hall.LocalTime(now);
        switch (State.DeadlineAlert)
        {
            case null when level >= CaseLevel.Yellow:
                events.Add(new AlertRaised(Card(opened, AlertKind.CaseDeadline, level >= CaseLevel.Red ? AlertLevel.Overtime : AlertLevel.Warning, State.PromisedDue, opened.PromisedDays, now)));
                break;
            case { Level: AlertLevel.Warning } open when level >= CaseLevel.Red:
                events.Add(new AlertEscalated(open with { Level = AlertLevel.Overtime, Value = CaseClock.HoursPast(State.PromisedDue, now), EscalatedAt = local, Due = State.PromisedDue }));
                break;
            case { } open when level == CaseLevel.Ok:
                AddResolved(events, open, now, "deadlineMoved");
                break;
        }

        switch (State.StatutoryAlert)
        {
            case null when level == CaseLevel.StatutoryRed:
                events.Add(new AlertRaised(Card(opened, AlertKind.CaseStatutoryOverdue, AlertLevel.Overtime, State.StatutoryDue!.Value, opened.StatutoryDays ?? 0, now)));
                break;
            case { } open when level < CaseLevel.StatutoryRed:
                AddResolved(events, open, now, "deadlineMoved");
                break;
        }

        return events;
    }

    private AlertView Card(CaseOpened opened, AlertKind kind, AlertLevel level, DateTimeOffset due, int days, DateTimeOffset now)
    {
        var local = _hall.LocalTime(now);
        return new AlertView
        {
            AlertId = kind == AlertKind.CaseDeadline ? CaseClock.DeadlineAlertId(_caseId) : CaseClock.StatutoryAlertId(_caseId),
            Kind = kind,
            Level = level,
            State = AlertState.Open,
            Matter = opened.Matter,
            Window = opened.Window,
            TicketId = _caseId,
            Number = opened.Number,
            Target = days,
            Value = CaseClock.HoursPast(due, now),
            Since = State.AcceptedAt,
            RaisedAt = local,
            EscalatedAt = level == AlertLevel.Overtime ? local : null,
            Due = due,
        };
    }

    private void AddResolved(List<HallEvent> events, AlertView? alert, DateTimeOffset now, string resolution)
    {
        if (alert is not null)
        {
            events.Add(new AlertResolved(alert with
            {
                State = AlertState.Resolved,
                Value = alert.Due is { } due ? CaseClock.HoursPast(due, now) : alert.Value,
                ResolvedAt = _hall.LocalTime(now),
                Resolution = resolution,
            }));
        }
    }

    /// <summary>Points the card timer at the next card due, or lets it go when none is (the case can then be collected).</summary>
    private void ArmCardTimer()
    {
        var now = _time.GetUtcNow();
        DateTimeOffset? next = State.Opened is null
            ? null
            : (State.State is CaseState.Decided or CaseState.Delivered) && (State.DeadlineAlert ?? State.StatutoryAlert) is not null
                ? now
                : CaseClock.NextCard(_hall, View(withSecrets: false), State.DeadlineAlert, State.StatutoryAlert);
        if (next is null)
        {
            _cardTimer?.Dispose();
            _cardTimer = null;
            return;
        }

        var wait = next.Value - now;
        _cardTimer = ArmClock(_cardTimer, SettleAsync, wait > LongestWait ? LongestWait : wait);
    }

    private CaseView View(bool withSecrets)
    {
        var opened = State.Opened!;
        var view = new CaseView
        {
            CaseId = _caseId,
            LookupCode = withSecrets ? opened.LookupCode : null,
            TicketId = opened.TicketId,
            Number = opened.Number,
            Matter = opened.Matter,
            MatterName = MatterName(),
            Window = opened.Window,
            Clerk = opened.Clerk,
            State = State.State,
            AcceptedAt = State.AcceptedAt,
            PromisedDue = State.PromisedDue,
            StatutoryDue = State.StatutoryDue,
            PausedDays = State.PausedDays,
            PausedSince = State.PausedSince,
            DecidedAt = State.DecidedAt,
            OnTime = State.DecidedAt is { } decided ? decided <= State.PromisedDue : null,
            Steps = withSecrets ? [.. State.Steps] : null,
        };
        return view with { Level = CaseClock.Level(_hall, view.PromisedDue, view.StatutoryDue, CaseClock.ClockAt(view, _time.GetUtcNow())) };
    }

    private string? MatterName() => _hall.TryGetMatter(State.Opened!.Matter, out var matter) ? matter.Name : null;

    private NotFoundException NotFound() => new($"Hall '{_hall.Id}' has no case '{_caseId}'.");

    private static string Words(CaseState state) => state switch
    {
        CaseState.InReview => "in review",
        CaseState.AwaitingMaterials => "awaiting materials",
        _ => state.ToString().ToLowerInvariant(),
    };

    private static string Words(CaseStep step) => step switch
    {
        CaseStep.AwaitMaterials => "await materials",
        _ => step.ToString().ToLowerInvariant(),
    };

    private static string Expected(CaseState state) => state switch
    {
        CaseState.Accepted => "next: review or awaitMaterials",
        CaseState.InReview => "next: awaitMaterials or decide",
        CaseState.AwaitingMaterials => "next: resume",
        CaseState.Decided => "next: deliver",
        _ => "it is finished",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cards of case {CaseId} could not be journaled; retrying")]
    private static partial void LogCardsDeferred(ILogger logger, Exception exception, string caseId);
}
