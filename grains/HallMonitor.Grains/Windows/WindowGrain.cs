using HallMonitor.Runtime;
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
/// fit the state is refused with <see cref="ConflictException"/> and writes nothing.
/// </summary>
public sealed class WindowGrain : JournaledGrain<WindowRecord>, IWindowGrain
{
    private const int DispatchAttempts = 64;
    private readonly HallCatalog _catalog;
    private readonly HallJournals _journals;
    private readonly TimeProvider _time;
    private Hall _hall = null!;
    private WindowDefinition _window = null!;
    private HallJournal _journal = null!;

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
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (hallId, windowId) = GrainKeys.Split(GetPrimaryKeyString());
        _hall = _catalog.GetHall(hallId);
        _window = _hall.GetWindow(windowId);
        _journal = _journals.Get(hallId);
        await RestoreAsync(_journal, after => new JournalQuery { AfterSeq = after, WindowId = windowId, Limit = 5000 }, cancellationToken);
    }

    public Task<WindowView> GetAsync() => Task.FromResult(View());

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
        Require(WindowState.Idle, "call the next number", clerk: null);
        var hall = GrainFactory.GetHall(_hall.Id);
        for (var attempt = 0; attempt < DispatchAttempts; attempt++)
        {
            if (await hall.ClaimNextAsync(_window.Id) is not { } candidate)
            {
                return null;
            }

            JournalRecord? taken;
            try
            {
                taken = await GrainFactory.GetMatter(_hall.Id, candidate.Matter).TryTakeAsync(candidate.TicketId, _window.Id, State.Clerk!);
            }
            finally
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
        var record = await AppendAsync(
            new ServiceCompleted(ticket.TicketId, ticket.Number, ticket.Matter, _window.Id, State.Clerk!, Elapsed(ticket.StartedAt!.Value)),
            State.Clerk!);
        return Finished(view, record);
    }

    public async Task<TicketView> NoShowAsync()
    {
        var ticket = RequireTicket(WindowState.Calling, "mark a no-show");
        var view = TicketView(TicketState.NoShow);
        var record = await AppendAsync(new TicketNoShow(ticket.TicketId, ticket.Number, ticket.Matter, _window.Id, State.Clerk!), State.Clerk!);
        return Finished(view, record);
    }

    public async Task<TicketView> TransferAsync(string matter)
    {
        var ticket = RequireTicket(WindowState.Serving, "transfer");
        var target = _hall.GetMatter(matter);
        if (target.Code == ticket.Matter)
        {
            throw new InvalidRequestException($"Ticket {ticket.Number} is already for {target.Name}; transfer it to another matter.");
        }

        var source = new TransferSource(ticket.TicketId, ticket.Number, ticket.Matter, ticket.Priority, _window.Id, State.Clerk!, ticket.StartedAt!.Value);
        var outcome = await GrainFactory.GetMatter(_hall.Id, target.Code).IssueTransferAsync(source);
        ApplyRecord(outcome.Transferred);
        return outcome.NewLeg;
    }

    public async Task<bool> ExpireBeforeAsync(DateOnly today)
    {
        if (State.Ticket is not { } ticket || !TicketNumber.TryParseTicketId(ticket.TicketId, out var day) || day >= today)
        {
            return false;
        }

        var from = State.State == WindowState.Serving ? TicketState.Serving : TicketState.Called;
        await AppendAsync(new TicketExpired(ticket.TicketId, ticket.Number, ticket.Matter, _window.Id, from, day), "system");
        return true;
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
        }
    }

    private async Task<JournalRecord> AppendAsync(HallEvent hallEvent, string actor)
    {
        var now = _time.GetUtcNow();
        var records = await _journal.AppendAsync([hallEvent], _hall.LocalTime(now), actor);
        ApplyRecord(records[0]);
        return records[0];
    }

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
