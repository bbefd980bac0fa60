using Microsoft.Extensions.Logging;

namespace HallMonitor.Grains;

/// <summary>A follow-up as its journal events tell it.</summary>
public sealed class FollowUpRecord : JournaledState
{
    public FollowUpOpened? Opened { get; set; }

    public DateTimeOffset OpenedAt { get; set; }

    public FollowUpClosed? Closed { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public AlertView? Alert { get; set; }
}

/// <summary>
/// The follow-up of a bad review (差评整改): opened with the rating of 1 or 2, closed by a supervisor with a note,
/// overdue with a red card at its due time. One grain per follow-up, keyed by hall and the rated ticket's id, whose
/// events are that ticket's journal events; woken by the hall when its card is due, like a case.
/// </summary>
public sealed partial class FollowUpGrain : JournaledGrain<FollowUpRecord>, IFollowUpGrain
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);
    private readonly HallCatalog _catalog;
    private readonly HallJournals _journals;
    private readonly TimeProvider _time;
    private readonly ILogger<FollowUpGrain> _logger;
    private Hall _hall = null!;
    private HallJournal _journal = null!;
    private string _id = null!;
    private bool _restored;
    private IGrainTimer? _timer;

    public FollowUpGrain(
        HallCatalog catalog,
        HallJournals journals,
        TimeProvider time,
        ILogger<FollowUpGrain> logger,
        [PersistentState("followup")] IPersistentState<FollowUpRecord> record)
        : base(record, logger)
    {
        _catalog = catalog;
        _journals = journals;
        _time = time;
        _logger = logger;
    }

    protected override JournalStream? Stream => JournalStream.FollowUp(_id);

    protected override string Describe() => $"Follow-up {_id}";

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (hallId, id) = GrainKeys.Split(this.GetPrimaryKeyString());
        _hall = _catalog.GetHall(hallId);
        _journal = _journals.Get(hallId);
        _id = id;
        return Task.CompletedTask;
    }

    public async Task<FollowUpView> GetAsync()
    {
        await EnsureOpenedAsync();
        await CatchUpIfBehindAsync();
        return View(State, _time.GetUtcNow());
    }

    public async Task<FollowUpView> CloseAsync(string note, string by)
    {
        await EnsureOpenedAsync();
        await CatchUpIfBehindAsync();
        if (State.Closed is { } closed)
        {
            throw new ConflictException($"Follow-up {_id} was closed by {closed.By} at {_hall.LocalTime(State.ClosedAt!.Value):yyyy-MM-dd HH:mm}; nothing was changed.");
        }

        var now = _time.GetUtcNow();
        var opened = State.Opened!;
        var events = new List<HallEvent> { new FollowUpClosed(opened.TicketId, opened.Number, opened.Matter, _id, by, note, now <= opened.Due) };
        if (State.Alert is { } alert)
        {
            events.Add(new AlertResolved(alert with
            {
                State = AlertState.Resolved,
                Value = CaseClock.HoursPast(opened.Due, now),
                ResolvedAt = _hall.LocalTime(now),
                Resolution = "closed",
            }));
        }

        await AppendAsync(events, _hall.LocalTime(now), by);
        ArmTimer();
        return View(State, now);
    }

    public async Task<AlertView> AcknowledgeAlertAsync(string alertId, string by)
    {
        await EnsureOpenedAsync();
        if (State.Alert is not { } alert || alert.AlertId != alertId)
        {
            throw new ConflictException($"Alert {alertId} is no longer open.");
        }

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

    /// <summary>The follow-up as listed: from its record, or from the hall projection's copy of its events.</summary>
    public static FollowUpView View(FollowUpRecord record, DateTimeOffset now)
    {
        var opened = record.Opened!;
        return new FollowUpView
        {
            FollowUpId = opened.FollowUpId,
            TicketId = opened.TicketId,
            Number = opened.Number,
            Matter = opened.Matter,
            Window = opened.Window,
            Score = opened.Score,
            Comment = opened.Comment,
            OpenedAt = record.OpenedAt,
            Due = opened.Due,
            State = record.Closed is null ? FollowUpState.Open : FollowUpState.Closed,
            ClosedAt = record.ClosedAt,
            ClosedBy = record.Closed?.By,
            Note = record.Closed?.Note,
            Overdue = (record.ClosedAt ?? now) > opened.Due,
        };
    }

    private async Task EnsureOpenedAsync()
    {
        if (_restored)
        {
            return;
        }

        await RestoreTicketEventsAsync<FollowUpOpened>(
            _journal, _id, checkpointed: State.Opened is not null, () => new NotFoundException($"Hall '{_hall.Id}' has no follow-up '{_id}'."));
        _restored = true;
        ArmTimer();
    }

    protected override void Apply(JournalRecord record)
    {
        switch (record.Event)
        {
            case FollowUpOpened opened:
                State.Opened = opened;
                State.OpenedAt = record.At;
                break;
            case FollowUpClosed closed:
                State.Closed = closed;
                State.ClosedAt = record.At;
                break;
            case IAlertEvent { Alert: { Kind: AlertKind.FollowUpOverdue } alert }:
                State.Alert = record.Event is AlertResolved ? null : alert;
                break;
        }
    }

    protected override Task OnCaughtUpAsync()
    {
        ArmTimer();
        return Task.CompletedTask;
    }

    private async Task SettleAsync()
    {
        var now = _time.GetUtcNow();
        try
        {
            if (State.Opened is { } opened && State.Closed is null && State.Alert is null && now >= opened.Due)
            {
                var local = _hall.LocalTime(now);
                await AppendAsync([new AlertRaised(new AlertView
                {
                    AlertId = CaseClock.FollowUpAlertId(_id),
                    Kind = AlertKind.FollowUpOverdue,
                    Level = AlertLevel.Overtime,
                    State = AlertState.Open,
                    Matter = opened.Matter,
                    TicketId = _id,
                    Number = opened.Number,
                    Target = _hall.Definition.FollowUpDays,
                    Value = CaseClock.HoursPast(opened.Due, now),
                    Since = State.OpenedAt,
                    RaisedAt = local,
                    EscalatedAt = local,
                    Due = opened.Due,
                })], local, "system");
            }
        }
        catch (JournalUnavailableException exception)
        {
            LogCardDeferred(_logger, exception, _id);
            _timer = ArmClock(_timer, SettleAsync, RetryDelay);
            return;
        }

        ArmTimer();
    }

    private void ArmTimer()
    {
        if (State.Opened is not { } opened || State.Closed is not null || State.Alert is not null)
        {
            _timer?.Dispose();
            _timer = null;
            return;
        }

        var wait = opened.Due - _time.GetUtcNow();
        _timer = ArmClock(_timer, SettleAsync, wait > LongestWait ? LongestWait : wait);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The overdue card of follow-up {FollowUpId} could not be journaled; retrying")]
    private static partial void LogCardDeferred(ILogger logger, Exception exception, string followUpId);
}
