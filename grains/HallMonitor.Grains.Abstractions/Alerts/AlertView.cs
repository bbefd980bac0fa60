namespace HallMonitor.Grains;

/// <summary>What an overtime warning (超时预警) is about.</summary>
[GenerateSerializer, Alias("HallMonitor.AlertKind")]
public enum AlertKind
{
    /// <summary>A ticket waits past its matter's wait target.</summary>
    WaitOvertime,

    /// <summary>A service runs past its matter's handle target.</summary>
    HandleOvertime,

    /// <summary>A matter's queue is longer than the hall's backlog threshold.</summary>
    QueueBacklog,

    /// <summary>A case's promised deadline (承诺时限) is within a working day (warning), or passed (overtime).</summary>
    CaseDeadline,

    /// <summary>A case's statutory deadline (法定时限) passed; always overtime.</summary>
    CaseStatutoryOverdue,

    /// <summary>The follow-up of a bad review passed its due time; always overtime.</summary>
    FollowUpOverdue,

    /// <summary>
    /// A waiting ticket is predicted to be called only after its wait target, while there is still time to act
    /// (before its wait warning); always a warning. <see cref="AlertView.Value"/> is the predicted wait in seconds and
    /// <see cref="AlertView.Due"/> the predicted call.
    /// </summary>
    WaitPredicted,
}

/// <summary>Yellow at the warn ratio of the target, red at the target.</summary>
[GenerateSerializer, Alias("HallMonitor.AlertLevel")]
public enum AlertLevel
{
    Warning,
    Overtime,
}

/// <summary>An alert is open until its cause ends; acknowledging it does not close it.</summary>
[GenerateSerializer, Alias("HallMonitor.AlertState")]
public enum AlertState
{
    Open,
    Resolved,
}

/// <summary>An overtime alert as it stands after its latest change.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.AlertView")]
public sealed record AlertView
{
    /// <summary>
    /// <c>wait-{ticketId}</c>, <c>handle-{ticketId}</c>, <c>backlog-{matter}-{day}-{n}</c>, <c>case-{caseId}</c>,
    /// <c>statutory-{caseId}</c>, <c>followup-{followUpId}</c> or <c>predicted-{ticketId}</c>.
    /// </summary>
    [Id(0)]
    public required string AlertId { get; init; }

    [Id(1)]
    public AlertKind Kind { get; init; }

    [Id(2)]
    public AlertLevel Level { get; init; }

    [Id(3)]
    public AlertState State { get; init; }

    [Id(4)]
    public required string Matter { get; init; }

    [Id(5)]
    public string? Window { get; init; }

    [Id(6)]
    public string? TicketId { get; init; }

    [Id(7)]
    public string? Number { get; init; }

    /// <summary>The target: seconds for wait and handle alerts, the threshold count for a backlog, working days for cases and follow-ups.</summary>
    [Id(8)]
    public double Target { get; init; }

    /// <summary>Seconds waited or handled, or tickets waiting, at the latest change; for cases and follow-ups, hours past the deadline (negative: left).</summary>
    [Id(9)]
    public double Value { get; init; }

    /// <summary>When the clock that the alert measures started (issue, start of service); null for a backlog.</summary>
    [Id(10)]
    public DateTimeOffset? Since { get; init; }

    [Id(11)]
    public DateTimeOffset RaisedAt { get; init; }

    [Id(12)]
    public DateTimeOffset? EscalatedAt { get; init; }

    [Id(13)]
    public DateTimeOffset? AcknowledgedAt { get; init; }

    [Id(14)]
    public string? AcknowledgedBy { get; init; }

    [Id(15)]
    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>What ended it: called, cancelled, expired, completed, noShow, transferred, shortened, closed, decided, deadlineMoved; for a predicted overtime also improved (the prediction came back under 90 % of the target) and warned (the wait warning took over).</summary>
    [Id(16)]
    public string? Resolution { get; init; }

    /// <summary>The deadline a case or follow-up card is about; for a predicted overtime, the predicted call.</summary>
    [Id(17)]
    public DateTimeOffset? Due { get; init; }
}
