namespace HallMonitor.Grains;

/// <summary>Where a window is: closed, open and idle, calling a number, serving, or paused.</summary>
public enum WindowState
{
    Closed,
    Idle,
    Calling,
    Serving,
    Paused,
}

/// <summary>A window as the clerk console and the wall show it.</summary>
public sealed record WindowView
{
    public required string WindowId { get; init; }

    public required string Name { get; init; }

    public WindowKind Kind { get; init; }

    public WindowState State { get; init; }

    public string? Clerk { get; init; }

    /// <summary>The ticket being called or served here.</summary>
    public WindowTicket? Ticket { get; init; }

    public DateTimeOffset StateSince { get; init; }

    /// <summary>Services completed here on the current service day.</summary>
    public int ServedToday { get; init; }
}

/// <summary>The ticket at a window.</summary>
public sealed record WindowTicket
{
    public required string TicketId { get; init; }

    public required string Number { get; init; }

    public required string Matter { get; init; }

    public TicketState State { get; init; }

    public bool Priority { get; init; }

    public DateTimeOffset IssuedAt { get; init; }

    public DateTimeOffset CalledAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public int Recalls { get; init; }
}
