namespace HallMonitor.Grains;

/// <summary>What an overtime warning (超时预警) is about.</summary>
public enum AlertKind
{
    /// <summary>A ticket waits past its matter's wait target.</summary>
    WaitOvertime,

    /// <summary>A service runs past its matter's handle target.</summary>
    HandleOvertime,

    /// <summary>A matter's queue is longer than the hall's backlog threshold.</summary>
    QueueBacklog,
}

/// <summary>Yellow at the warn ratio of the target, red at the target.</summary>
public enum AlertLevel
{
    Warning,
    Overtime,
}

/// <summary>An alert is open until its cause ends; acknowledging it does not close it.</summary>
public enum AlertState
{
    Open,
    Resolved,
}

/// <summary>An overtime alert as it stands after its latest change.</summary>
public sealed record AlertView
{
    /// <summary><c>wait-{ticketId}</c>, <c>handle-{ticketId}</c> or <c>backlog-{matter}-{day}-{n}</c>.</summary>
    public required string AlertId { get; init; }

    public AlertKind Kind { get; init; }

    public AlertLevel Level { get; init; }

    public AlertState State { get; init; }

    public required string Matter { get; init; }

    public string? Window { get; init; }

    public string? TicketId { get; init; }

    public string? Number { get; init; }

    /// <summary>The target: seconds for wait and handle alerts, the threshold count for a backlog.</summary>
    public double Target { get; init; }

    /// <summary>Seconds waited or handled, or tickets waiting, at the latest change.</summary>
    public double Value { get; init; }

    /// <summary>When the clock that the alert measures started (issue, start of service); null for a backlog.</summary>
    public DateTimeOffset? Since { get; init; }

    public DateTimeOffset RaisedAt { get; init; }

    public DateTimeOffset? EscalatedAt { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; init; }

    public string? AcknowledgedBy { get; init; }

    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>What ended it: called, cancelled, expired, completed, noShow, transferred, shortened, closed.</summary>
    public string? Resolution { get; init; }
}
