namespace HallMonitor.Grains;

/// <summary>
/// The hall as its journal tells it, event by event: windows, waiting lines, numbering and today's figures.
/// It is what the snapshot shows and what numbering and dispatch restart from.
/// </summary>
public sealed class HallProjection : JournaledState
{
    private const int RecentSamples = 20;
    private const int RecentCalls = 50;

    /// <summary>The service day the figures and numbering belong to.</summary>
    public DateOnly ServiceDay { get; set; }

    /// <summary>The last number issued per prefix on <see cref="ServiceDay"/>.</summary>
    public Dictionary<string, int> Numbering { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, WindowSlot> Windows { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, WaitingLine> Waiting { get; set; } = new(StringComparer.Ordinal);

    public DayFigures Today { get; set; } = new();

    /// <summary>The latest handling durations per matter, for wait estimates.</summary>
    public Dictionary<string, List<double>> RecentHandleSeconds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The latest times from a call to the start of service or to the no-show, hall-wide: what a window spends on a call
    /// besides handling (the visitor walking up, recalls, waiting for one who never comes), for predicted calls.
    /// </summary>
    public List<double> RecentCallSeconds { get; set; } = [];

    /// <summary>Open alerts, and those resolved on <see cref="ServiceDay"/>, by id.</summary>
    public Dictionary<string, AlertView> Alerts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How long the hall lists a case after its decision, and a follow-up after it was closed.</summary>
    public static readonly TimeSpan FinishedListed = TimeSpan.FromDays(31);

    /// <summary>
    /// Open cases and those decided in the last <see cref="FinishedListed"/>, by id, without lookup code or steps:
    /// what the case list shows and what the wake reminder reads to bring back the cases with a card due.
    /// </summary>
    public Dictionary<string, CaseView> Cases { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Open follow-ups and those closed in the last <see cref="FinishedListed"/>, by id.</summary>
    public Dictionary<string, FollowUpView> FollowUps { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How long a request id answers its ticket again: a retry comes within seconds, a kiosk's within a minute.</summary>
    public static readonly TimeSpan RequestWindow = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The tickets issued for a request id (idempotent issuance) in the last <see cref="RequestWindow"/> of
    /// <see cref="ServiceDay"/>, oldest first; bounded so that a busy day does not grow the checkpoint.
    /// </summary>
    public Queue<IssuedRequest> Requests { get; set; } = new();

    private Dictionary<string, IssuedRequest>? _requestIndex;

    /// <summary>The ticket issued for <paramref name="requestId"/> within the window before <paramref name="now"/>, if any.</summary>
    public bool TryGetRequest(string requestId, DateTimeOffset now, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? ticketId)
    {
        _requestIndex ??= Requests.ToDictionary(r => r.RequestId, StringComparer.Ordinal);
        ticketId = _requestIndex.TryGetValue(requestId, out var request) && request.At >= now - RequestWindow ? request.TicketId : null;
        return ticketId is not null;
    }

    /// <summary>The SHA-256 of the halls file the last reload journaled here; null before the first reload.</summary>
    public string? ConfigurationSha256 { get; set; }

    /// <summary>The hash of the last event applied: an anchor against edits of the journal's tail.</summary>
    public string? LastHash { get; set; }

    public void Apply(JournalRecord record, Hall hall)
    {
        LastHash = record.Hash;
        var day = hall.ServiceDay(record.At);
        if (day > ServiceDay)
        {
            StartDay(day, hall.StartOf);
        }

        switch (record.Event)
        {
            case TicketIssued e:
                if (e.ServiceDay == ServiceDay && TicketNumber.TryParse(e.Number, out var prefix, out var n))
                {
                    Numbering[prefix] = Math.Max(Numbering.GetValueOrDefault(prefix), n);
                }

                if (e.RequestId is { } request && e.ServiceDay == ServiceDay)
                {
                    RememberRequest(new IssuedRequest(request, e.TicketId, record.At));
                }

                Line(e.Matter).Add(new WaitingTicket(e.TicketId, e.Number, e.Matter, e.Priority, record.At, record.Seq, e.ServiceDay, e.Channel));
                Today.Issued++;
                Today.IssuedByHour[record.At.Hour]++;
                Today.IssuedByMatter[e.Matter] = Today.IssuedByMatter.GetValueOrDefault(e.Matter) + 1;
                break;
            case TicketCalled e:
                Line(e.Matter).Remove(e.TicketId);
                Window(e.Window).Call(e, record.At);
                Today.Called++;
                Today.WaitSecondsSum += e.WaitSeconds;
                if (hall.TryGetMatter(e.Matter, out var matter) && e.WaitSeconds < matter.WaitTargetSeconds)
                {
                    Today.CalledWithinTarget++;
                }

                break;
            case TicketRecalled e:
                Window(e.Window).Recall(e.Recalls);
                break;
            case ServiceStarted e:
                RememberCall(Window(e.Window), record.At);
                Window(e.Window).Start(record.At);
                break;
            case ServiceCompleted e:
                Window(e.Window).Finish(record.At, served: true);
                Today.Completed++;
                Today.CompletedByHour[record.At.Hour]++;
                Today.HandleSecondsSum += e.HandleSeconds;
                Remember(e.Matter, e.HandleSeconds);
                break;
            case TicketNoShow e:
                RememberCall(Window(e.Window), record.At);
                Window(e.Window).Finish(record.At, served: false);
                Today.NoShow++;
                break;
            case TicketCancelled e:
                Line(e.Matter).Remove(e.TicketId);
                Today.Cancelled++;
                break;
            case TicketTransferred e:
                Window(e.Window).Finish(record.At, served: false);
                Today.Transferred++;
                break;
            case TicketExpired e:
                if (e.Window is not null)
                {
                    Window(e.Window).Finish(record.At, served: false);
                }
                else
                {
                    Line(e.Matter).Remove(e.TicketId);
                }

                break;
            case TicketRated e:
                Today.Rated++;
                Today.Satisfied += e.Score >= 4 ? 1 : 0;
                break;
            case WindowOpened e:
                Window(e.Window).Open(e.Clerk, record.At);
                break;
            case WindowPaused e:
                Window(e.Window).Move(WindowState.Paused, record.At);
                break;
            case WindowResumed e:
                Window(e.Window).Move(WindowState.Idle, record.At);
                break;
            case WindowClosed e:
                Window(e.Window).Close(record.At);
                break;
            case IAlertEvent { Alert: var alert }:
                if (record.Event is AlertRaised)
                {
                    Today.AlertsRaised++;
                }

                Alerts[alert.AlertId] = alert;
                break;
            case ConfigurationChanged e:
                ConfigurationSha256 = e.Sha256;
                break;
            case CaseOpened e:
                Cases[e.CaseId] = new CaseView
                {
                    CaseId = e.CaseId,
                    TicketId = e.TicketId,
                    Number = e.Number,
                    Matter = e.Matter,
                    Window = e.Window,
                    Clerk = e.Clerk,
                    State = CaseState.Accepted,
                    AcceptedAt = record.At,
                    PromisedDue = e.PromisedDue,
                    StatutoryDue = e.StatutoryDue,
                };
                break;
            case CaseStepped e when Cases.TryGetValue(e.CaseId, out var listed):
                Cases[e.CaseId] = listed with
                {
                    State = e.State,
                    PausedDays = e.PausedDays,
                    PromisedDue = e.PromisedDue,
                    StatutoryDue = e.StatutoryDue,
                    PausedSince = e.Step == CaseStep.AwaitMaterials ? record.At : e.Step == CaseStep.Resume ? null : listed.PausedSince,
                    DecidedAt = e.Step == CaseStep.Decide ? record.At : listed.DecidedAt,
                    OnTime = e.Step == CaseStep.Decide ? record.At <= e.PromisedDue : listed.OnTime,
                };
                break;
            case FollowUpOpened e:
                FollowUps[e.FollowUpId] = new FollowUpView
                {
                    FollowUpId = e.FollowUpId,
                    TicketId = e.TicketId,
                    Number = e.Number,
                    Matter = e.Matter,
                    Window = e.Window,
                    Score = e.Score,
                    Comment = e.Comment,
                    OpenedAt = record.At,
                    Due = e.Due,
                    State = FollowUpState.Open,
                };
                break;
            case FollowUpClosed e when FollowUps.TryGetValue(e.FollowUpId, out var followUp):
                FollowUps[e.FollowUpId] = followUp with { State = FollowUpState.Closed, ClosedAt = record.At, ClosedBy = e.By, Note = e.Note, Overdue = !e.OnTime };
                break;
        }
    }

    /// <summary>The average of the latest handling durations of a matter, or null before the first.</summary>
    public double? AverageHandleSeconds(string matter) =>
        RecentHandleSeconds.TryGetValue(matter, out var samples) && samples.Count > 0 ? samples.Average() : null;

    /// <summary>The handling time estimates assume for a matter: its recent average, its handle target before the first.</summary>
    public double HandleSeconds(MatterDefinition matter) => AverageHandleSeconds(matter.Code) ?? matter.HandleTargetSeconds;

    public WaitingLine Line(string matter)
    {
        if (!Waiting.TryGetValue(matter, out var line))
        {
            Waiting[matter] = line = new WaitingLine();
        }

        return line;
    }

    private WindowSlot Window(string windowId)
    {
        if (!Windows.TryGetValue(windowId, out var slot))
        {
            Windows[windowId] = slot = new WindowSlot();
        }

        return slot;
    }

    private void RememberRequest(IssuedRequest request)
    {
        while (Requests.TryPeek(out var oldest) && oldest.At < request.At - RequestWindow)
        {
            Requests.Dequeue();
            _requestIndex?.Remove(oldest.RequestId);
        }

        Requests.Enqueue(request);
        if (_requestIndex is not null)
        {
            _requestIndex[request.RequestId] = request;
        }
    }

    private void StartDay(DateOnly day, Func<DateOnly, DateTimeOffset> hallStart)
    {
        ServiceDay = day;
        Today = new DayFigures();
        Numbering.Clear();
        Requests.Clear();
        _requestIndex = null;
        foreach (var resolved in Alerts.Values.Where(a => a.State == AlertState.Resolved).ToList())
        {
            Alerts.Remove(resolved.AlertId);
        }

        foreach (var slot in Windows.Values)
        {
            slot.ServedToday = 0;
        }

        var listedSince = hallStart(day) - FinishedListed;
        foreach (var finished in Cases.Values.Where(c => c.DecidedAt < listedSince).ToList())
        {
            Cases.Remove(finished.CaseId);
        }

        foreach (var closed in FollowUps.Values.Where(f => f.ClosedAt < listedSince).ToList())
        {
            FollowUps.Remove(closed.FollowUpId);
        }
    }

    /// <summary>The average of <see cref="RecentCallSeconds"/>, or zero before the first.</summary>
    public double AverageCallSeconds() => RecentCallSeconds.Count > 0 ? RecentCallSeconds.Average() : 0;

    private void RememberCall(WindowSlot window, DateTimeOffset at)
    {
        if (window.Ticket is not { } ticket)
        {
            return;
        }

        RecentCallSeconds.Add(Math.Max(0, (at - ticket.CalledAt).TotalSeconds));
        if (RecentCallSeconds.Count > RecentCalls)
        {
            RecentCallSeconds.RemoveAt(0);
        }
    }

    private void Remember(string matter, double handleSeconds)
    {
        if (!RecentHandleSeconds.TryGetValue(matter, out var samples))
        {
            RecentHandleSeconds[matter] = samples = [];
        }

        samples.Add(handleSeconds);
        if (samples.Count > RecentSamples)
        {
            samples.RemoveAt(0);
        }
    }
}

/// <summary>A window as the hall projection knows it.</summary>
public sealed class WindowSlot
{
    public WindowState State { get; set; } = WindowState.Closed;

    public string? Clerk { get; set; }

    public WindowTicket? Ticket { get; set; }

    public DateTimeOffset StateSince { get; set; }

    public int ServedToday { get; set; }

    public void Open(string clerk, DateTimeOffset at)
    {
        Clerk = clerk;
        Move(WindowState.Idle, at);
    }

    public void Close(DateTimeOffset at)
    {
        Clerk = null;
        Ticket = null;
        Move(WindowState.Closed, at);
    }

    public void Move(WindowState state, DateTimeOffset at)
    {
        State = state;
        StateSince = at;
    }

    public void Call(TicketCalled called, DateTimeOffset at)
    {
        Ticket = new WindowTicket
        {
            TicketId = called.TicketId,
            Number = called.Number,
            Matter = called.Matter,
            State = TicketState.Called,
            Priority = called.Priority,
            IssuedAt = called.IssuedAt,
            CalledAt = at,
        };
        Move(WindowState.Calling, at);
    }

    public void Recall(int recalls)
    {
        if (Ticket is not null)
        {
            Ticket = Ticket with { Recalls = recalls };
        }
    }

    public void Start(DateTimeOffset at)
    {
        if (Ticket is not null)
        {
            Ticket = Ticket with { State = TicketState.Serving, StartedAt = at };
        }

        Move(WindowState.Serving, at);
    }

    public void Finish(DateTimeOffset at, bool served)
    {
        Ticket = null;
        ServedToday += served ? 1 : 0;
        Move(WindowState.Idle, at);
    }
}

/// <summary>Running totals of one service day.</summary>
public sealed class DayFigures
{
    public int Issued { get; set; }

    public int Called { get; set; }

    public int CalledWithinTarget { get; set; }

    public double WaitSecondsSum { get; set; }

    public int Completed { get; set; }

    public double HandleSecondsSum { get; set; }

    public int NoShow { get; set; }

    public int Cancelled { get; set; }

    public int Transferred { get; set; }

    public int Rated { get; set; }

    public int Satisfied { get; set; }

    public int AlertsRaised { get; set; }

    /// <summary>Tickets issued in each hour of the day (local time).</summary>
    public int[] IssuedByHour { get; set; } = new int[24];

    /// <summary>Services completed in each hour of the day (local time).</summary>
    public int[] CompletedByHour { get; set; } = new int[24];

    public Dictionary<string, int> IssuedByMatter { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>A ticket issued for a request id, and when.</summary>
public sealed record IssuedRequest(string RequestId, string TicketId, DateTimeOffset At);
