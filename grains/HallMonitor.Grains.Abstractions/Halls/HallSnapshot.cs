using System.Text.Json.Serialization;

namespace HallMonitor.Grains;

/// <summary>
/// The whole hall at one journal sequence number: a client applies the events after <see cref="Seq"/> to it.
/// </summary>
public sealed record HallSnapshot
{
    public required string Hall { get; init; }

    public required string Name { get; init; }

    /// <summary>The last journal event reflected here.</summary>
    public long Seq { get; init; }

    public DateTimeOffset At { get; init; }

    public DateOnly ServiceDay { get; init; }

    public IReadOnlyList<WindowView> Windows { get; init; } = [];

    public IReadOnlyList<QueueSummary> Queues { get; init; } = [];

    public required HallKpis Kpis { get; init; }

    /// <summary>Open alerts, the most recent first.</summary>
    public IReadOnlyList<AlertView> Alerts { get; init; } = [];

    /// <summary>Tickets issued and services completed per hour of the service day (peak hours).</summary>
    public IReadOnlyList<HourFigures> Hourly { get; init; } = [];

    /// <summary>The matters with the most tickets today (hot matters).</summary>
    public IReadOnlyList<HotMatter> HotMatters { get; init; } = [];
}

/// <summary>One hour of the service day.</summary>
public sealed record HourFigures(int Hour, int Issued, int Completed);

/// <summary>A matter and how many tickets it drew today.</summary>
public sealed record HotMatter(string Matter, string Name, string Category, int Issued, int Waiting);

/// <summary>A matter's queue on the wall.</summary>
public sealed record QueueSummary
{
    public required string Matter { get; init; }

    public required string Name { get; init; }

    public required string Category { get; init; }

    public string Prefix { get; init; } = "";

    public int Waiting { get; init; }

    public int PriorityWaiting { get; init; }

    public double OldestWaitSeconds { get; init; }

    public int WaitTargetSeconds { get; init; }

    /// <summary>Tickets issued for this matter today.</summary>
    public int Issued { get; init; }

    /// <summary>
    /// The tickets that have waited longest, oldest first, at most <see cref="TicketLimit"/>. A client that
    /// applies events to the snapshot needs them: when the oldest leaves, the next one's wait becomes the
    /// oldest. Every ticket not listed is newer than every listed one; when a client's list runs out while
    /// <see cref="Waiting"/> is not zero, it takes a fresh snapshot.
    /// </summary>
    public IReadOnlyList<QueuedTicket> Tickets { get; init; } = [];

    /// <summary>The most tickets <see cref="Tickets"/> lists, so that a snapshot stays small however long a queue grows.</summary>
    public const int TicketLimit = 100;
}

/// <summary>A ticket waiting in a queue.</summary>
public sealed record QueuedTicket(string TicketId, string Number, bool Priority, DateTimeOffset IssuedAt);

/// <summary>Today's figures of the hall. Rates are fractions from 0 to 1, or null before there is anything to rate.</summary>
public sealed record HallKpis
{
    public int Issued { get; init; }

    public int Waiting { get; init; }

    /// <summary>Calls made today: the count behind the average wait and the service level.</summary>
    public int Called { get; init; }

    public int Completed { get; init; }

    public int NoShow { get; init; }

    public int Cancelled { get; init; }

    public int Transferred { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? AvgWaitSeconds { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? AvgHandleSeconds { get; init; }

    /// <summary>Share of calls made within the matter's wait target.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? ServiceLevel { get; init; }

    /// <summary>Share of ratings that are 4 or 5.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? SatisfactionRate { get; init; }

    public int Rated { get; init; }

    public int OpenAlerts { get; init; }

    public int AlertsRaised { get; init; }
}
