using System.Text.Json;

namespace HallMonitor.Grains;

/// <summary>Where a ticket is in its life.</summary>
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
public enum TicketChannel
{
    Kiosk,
    Online,
    Appointment,
    Remote,
}

/// <summary>A ticket as visitors, clerks and auditors see it. Durations are live while they run.</summary>
public sealed record TicketView
{
    public required string TicketId { get; init; }

    public required string Number { get; init; }

    public required string Matter { get; init; }

    public string? MatterName { get; init; }

    public TicketChannel Channel { get; init; }

    public bool Priority { get; init; }

    public TicketState State { get; init; }

    public DateTimeOffset IssuedAt { get; init; }

    public DateTimeOffset? CalledAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public string? Window { get; init; }

    public string? Clerk { get; init; }

    public int Recalls { get; init; }

    /// <summary>First call − issue; up to now while the ticket waits.</summary>
    public double WaitSeconds { get; init; }

    /// <summary>Completion (or transfer) − start; up to now while it is served.</summary>
    public double? HandleSeconds { get; init; }

    public TicketRating? Rating { get; init; }

    /// <summary>The ticket this leg was transferred from.</summary>
    public string? TransferredFrom { get; init; }

    /// <summary>The new leg this ticket was transferred to.</summary>
    public string? TransferredTo { get; init; }

    /// <summary>On a new ticket: people who will be called before it for the same matter.</summary>
    public int? Ahead { get; init; }

    /// <summary>On a new ticket: expected wait from the queue and recent service times.</summary>
    public double? EstimatedWaitSeconds { get; init; }

    /// <summary>Every journal event of the ticket, with its hash (the audit trail).</summary>
    public IReadOnlyList<TicketHistoryEntry>? History { get; init; }
}

/// <summary>A visitor's rating (好差评): 5 非常满意 … 1 非常不满意.</summary>
public sealed record TicketRating(int Score, string? Comment, DateTimeOffset At);

/// <summary>One journal event in a ticket's history.</summary>
public sealed record TicketHistoryEntry(long Seq, DateTimeOffset At, string Type, string Actor, JsonElement Data, string Hash);
