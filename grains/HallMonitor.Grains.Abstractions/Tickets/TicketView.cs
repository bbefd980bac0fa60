using System.Text.Json.Serialization;

namespace HallMonitor.Grains;

/// <summary>Where a ticket is in its life.</summary>
[GenerateSerializer, Alias("HallMonitor.TicketState")]
public enum TicketState
{
    Waiting,
    Called,
    Serving,
    Completed,
    NoShow,
    Cancelled,
    Transferred,
    Expired,
}

/// <summary>How the visitor got the ticket.</summary>
[GenerateSerializer, Alias("HallMonitor.TicketChannel")]
public enum TicketChannel
{
    Kiosk,
    Online,
    Appointment,
    Remote,
}

/// <summary>A ticket as visitors, clerks and auditors see it. Durations are live while they run.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.TicketView")]
public sealed record TicketView
{
    [Id(0)]
    public required string TicketId { get; init; }

    [Id(1)]
    public required string Number { get; init; }

    [Id(2)]
    public required string Matter { get; init; }

    [Id(3)]
    public string? MatterName { get; init; }

    [Id(4)]
    public TicketChannel Channel { get; init; }

    [Id(5)]
    public bool Priority { get; init; }

    [Id(6)]
    public TicketState State { get; init; }

    [Id(7)]
    public DateTimeOffset IssuedAt { get; init; }

    [Id(8)]
    public DateTimeOffset? CalledAt { get; init; }

    [Id(9)]
    public DateTimeOffset? StartedAt { get; init; }

    [Id(10)]
    public DateTimeOffset? FinishedAt { get; init; }

    [Id(11)]
    public string? Window { get; init; }

    [Id(12)]
    public string? Clerk { get; init; }

    [Id(13)]
    public int Recalls { get; init; }

    /// <summary>First call − issue; up to now while the ticket waits.</summary>
    [Id(14)]
    public double WaitSeconds { get; init; }

    /// <summary>Completion (or transfer) − start; up to now while it is served.</summary>
    [Id(15)]
    public double? HandleSeconds { get; init; }

    [Id(16)]
    public TicketRating? Rating { get; init; }

    /// <summary>The ticket this leg was transferred from.</summary>
    [Id(17)]
    public string? TransferredFrom { get; init; }

    /// <summary>The new leg this ticket was transferred to.</summary>
    [Id(18)]
    public string? TransferredTo { get; init; }

    /// <summary>On a new ticket: people who will be called before it for the same matter.</summary>
    [Id(19)]
    public int? Ahead { get; init; }

    /// <summary>On a new ticket: expected wait from the queue and recent service times.</summary>
    [Id(20)]
    public double? EstimatedWaitSeconds { get; init; }

    /// <summary>Every journal event of the ticket, with its hash (the audit trail).</summary>
    [Id(21)]
    public IReadOnlyList<TicketHistoryEntry>? History { get; init; }

    /// <summary>The case the service opened (办件), for a matter with a promised time limit.</summary>
    [Id(22)]
    public string? CaseId { get; init; }

    /// <summary>Only in the answer to <c>complete</c>: the case's lookup code (查询码) for the clerk to hand over.</summary>
    [Id(23)]
    public string? LookupCode { get; init; }
}

/// <summary>A visitor's rating (好差评): 5 非常满意 … 1 非常不满意.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.TicketRating")]
public sealed record TicketRating(int Score, string? Comment, DateTimeOffset At);

/// <summary>One journal event in a ticket's history.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.TicketHistoryEntry")]
public sealed record TicketHistoryEntry(
    long Seq,
    DateTimeOffset At,
    string Type,
    string Actor,
    [property: JsonConverter(typeof(RawJsonConverter))] string Data,
    string Hash);
