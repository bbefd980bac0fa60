using System.Text.Json.Serialization;

namespace HallMonitor.Grains;

/// <summary>
/// The whole hall at one journal sequence number: a client applies the events after <see cref="Seq"/> to it.
/// </summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.HallSnapshot")]
public sealed record HallSnapshot
{
    [Id(0)]
    public required string Hall { get; init; }

    [Id(1)]
    public required string Name { get; init; }

    /// <summary>The last journal event reflected here.</summary>
    [Id(2)]
    public long Seq { get; init; }

    [Id(3)]
    public DateTimeOffset At { get; init; }

    [Id(4)]
    public DateOnly ServiceDay { get; init; }

    [Id(5)]
    public IReadOnlyList<WindowView> Windows { get; init; } = [];

    [Id(6)]
    public IReadOnlyList<QueueSummary> Queues { get; init; } = [];

    [Id(7)]
    public required HallKpis Kpis { get; init; }

    /// <summary>Open alerts, the most recent first.</summary>
    [Id(8)]
    public IReadOnlyList<AlertView> Alerts { get; init; } = [];

    /// <summary>Tickets issued and services completed per hour of the service day (peak hours).</summary>
    [Id(9)]
    public IReadOnlyList<HourFigures> Hourly { get; init; } = [];

    /// <summary>The matters with the most tickets today (hot matters).</summary>
    [Id(10)]
    public IReadOnlyList<HotMatter> HotMatters { get; init; } = [];
}

/// <summary>One hour of the service day.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.HourFigures")]
public sealed record HourFigures(int Hour, int Issued, int Completed);

/// <summary>A matter and how many tickets it drew today.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.HotMatter")]
public sealed record HotMatter(string Matter, string Name, string Category, int Issued, int Waiting);

/// <summary>A matter's queue on the wall.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.QueueSummary")]
public sealed record QueueSummary
{
    [Id(0)]
    public required string Matter { get; init; }

    [Id(1)]
    public required string Name { get; init; }

    [Id(2)]
    public required string Category { get; init; }

    [Id(3)]
    public string Prefix { get; init; } = "";

    [Id(4)]
    public int Waiting { get; init; }

    [Id(5)]
    public int PriorityWaiting { get; init; }

    [Id(6)]
    public double OldestWaitSeconds { get; init; }

    [Id(7)]
    public int WaitTargetSeconds { get; init; }

    /// <summary>Tickets issued for this matter today.</summary>
    [Id(8)]
    public int Issued { get; init; }

    /// <summary>
    /// The tickets that have waited longest, oldest first, at most <see cref="TicketLimit"/>. A client that
    /// applies events to the snapshot needs them: when the oldest leaves, the next one's wait becomes the
    /// oldest. Every ticket not listed is newer than every listed one; when a client's list runs out while
    /// <see cref="Waiting"/> is not zero, it takes a fresh snapshot.
    /// </summary>
    [Id(9)]
    public IReadOnlyList<QueuedTicket> Tickets { get; init; } = [];

    /// <summary>The most tickets <see cref="Tickets"/> lists, so that a snapshot stays small however long a queue grows.</summary>
    public const int TicketLimit = 100;
}

/// <summary>A ticket waiting in a queue.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.QueuedTicket")]
public sealed record QueuedTicket(string TicketId, string Number, bool Priority, DateTimeOffset IssuedAt);

/// <summary>Today's figures of the hall. Rates are fractions from 0 to 1, or null before there is anything to rate.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.HallKpis")]
public sealed record HallKpis
{
    [Id(0)]
    public int Issued { get; init; }

    [Id(1)]
    public int Waiting { get; init; }

    /// <summary>Calls made today: the count behind the average wait and the service level.</summary>
    [Id(2)]
    public int Called { get; init; }

    [Id(3)]
    public int Completed { get; init; }

    [Id(4)]
    public int NoShow { get; init; }

    [Id(5)]
    public int Cancelled { get; init; }

    [Id(6)]
    public int Transferred { get; init; }

    [Id(7)]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? AvgWaitSeconds { get; init; }

    [Id(8)]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? AvgHandleSeconds { get; init; }

    /// <summary>Share of calls made within the matter's wait target.</summary>
    [Id(9)]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? ServiceLevel { get; init; }

    /// <summary>Share of ratings that are 4 or 5.</summary>
    [Id(10)]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? SatisfactionRate { get; init; }

    [Id(11)]
    public int Rated { get; init; }

    [Id(12)]
    public int OpenAlerts { get; init; }

    [Id(13)]
    public int AlertsRaised { get; init; }
}
