namespace HallMonitor.Grains;

/// <summary>
/// The events of one grain's state within a hall's journal: a matter's queue (what <c>MatterGrain</c> applies)
/// or a window (what <c>WindowGrain</c> applies).
/// </summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.JournalStream")]
public sealed record JournalStream(JournalStreamKind Kind, string Id)
{
    public static JournalStream Queue(string matter) => new(JournalStreamKind.Queue, matter);

    public static JournalStream Window(string windowId) => new(JournalStreamKind.Window, windowId);

    public static JournalStream Case(string caseId) => new(JournalStreamKind.Case, caseId);

    public static JournalStream FollowUp(string followUpId) => new(JournalStreamKind.FollowUp, followUpId);

    /// <summary>
    /// The queue and the window whose state <paramref name="hallEvent"/> changes, where there is one; a case's or
    /// follow-up's events are its own stream, in the <c>Window</c> place (they never change a window).
    /// </summary>
    public static (JournalStream? Queue, JournalStream? Window) Of(HallEvent hallEvent) => hallEvent switch
    {
        CaseOpened opened => (null, Case(opened.CaseId)),
        CaseStepped stepped => (null, Case(stepped.CaseId)),
        FollowUpOpened opened => (null, FollowUp(opened.FollowUpId)),
        FollowUpClosed closed => (null, FollowUp(closed.FollowUpId)),
        IAlertEvent { Alert: { Kind: AlertKind.CaseDeadline or AlertKind.CaseStatutoryOverdue, TicketId: { } caseId } } => (null, Case(caseId)),
        IAlertEvent { Alert: { Kind: AlertKind.FollowUpOverdue, TicketId: { } followUpId } } => (null, FollowUp(followUpId)),
        TicketIssued issued => (Queue(issued.Matter), null),
        TicketCalled called => (Queue(called.Matter), Window(called.Window)),
        TicketCancelled cancelled => (Queue(cancelled.Matter), null),
        TicketExpired { Window: null } expired => (Queue(expired.Matter), null),
        TicketExpired { Window: { } window } => (null, Window(window)),
        TicketRecalled or ServiceStarted or ServiceCompleted or TicketNoShow or TicketTransferred
            or WindowOpened or WindowPaused or WindowResumed or WindowClosed => (null, Window(((IWindowEvent)hallEvent).Window!)),
        IAlertEvent { Alert: { Kind: AlertKind.HandleOvertime, Window: { } window } } => (null, Window(window)),
        IAlertEvent { Alert: { Kind: AlertKind.WaitOvertime or AlertKind.WaitPredicted or AlertKind.QueueBacklog } alert } => (Queue(alert.Matter), null),
        _ => (null, null),
    };

    public override string ToString() => $"{Kind} {Id}";
}

/// <summary>Whose events a <see cref="JournalStream"/> holds.</summary>
[GenerateSerializer, Alias("HallMonitor.JournalStreamKind")]
public enum JournalStreamKind
{
    Queue,
    Window,
    Case,
    FollowUp,
}

/// <summary>An append's condition: no event of <see cref="Stream"/> after <see cref="AfterSeq"/> (the state it was decided on).</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.StreamPosition")]
public sealed record StreamPosition(JournalStream Stream, long AfterSeq);

/// <summary>
/// An append refused because its stream moved past the state it was decided on: a request that had timed out
/// reached the journal after all. Nothing was written; the grain catches up from the journal.
/// </summary>
[GenerateSerializer, Alias("HallMonitor.StaleStreamException")]
public sealed class StaleStreamException : HallMonitorException
{
    public StaleStreamException(JournalStream stream, long lastSeq)
        : base($"{stream} has event {lastSeq}, which the request was not decided on; nothing was changed.")
    {
        Stream = stream;
        LastSeq = lastSeq;
    }

    [Id(0)]
    public JournalStream Stream { get; private set; }

    [Id(1)]
    public long LastSeq { get; private set; }
}
