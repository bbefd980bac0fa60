namespace HallMonitor.Grains;

/// <summary>Where a window is: closed, open and idle, calling a number, serving, or paused.</summary>
[GenerateSerializer, Alias("HallMonitor.WindowState")]
public enum WindowState
{
    Closed,
    Idle,
    Calling,
    Serving,
    Paused,
}

/// <summary>A window as the clerk console and the wall show it.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.WindowView")]
public sealed record WindowView
{
    [Id(0)]
    public required string WindowId { get; init; }

    [Id(1)]
    public required string Name { get; init; }

    [Id(2)]
    public WindowKind Kind { get; init; }

    [Id(3)]
    public WindowState State { get; init; }

    [Id(4)]
    public string? Clerk { get; init; }

    /// <summary>The ticket being called or served here.</summary>
    [Id(5)]
    public WindowTicket? Ticket { get; init; }

    [Id(6)]
    public DateTimeOffset StateSince { get; init; }

    /// <summary>Services completed here on the current service day.</summary>
    [Id(7)]
    public int ServedToday { get; init; }
}

/// <summary>The ticket at a window.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.WindowTicket")]
public sealed record WindowTicket
{
    [Id(0)]
    public required string TicketId { get; init; }

    [Id(1)]
    public required string Number { get; init; }

    [Id(2)]
    public required string Matter { get; init; }

    [Id(3)]
    public TicketState State { get; init; }

    [Id(4)]
    public bool Priority { get; init; }

    [Id(5)]
    public DateTimeOffset IssuedAt { get; init; }

    [Id(6)]
    public DateTimeOffset CalledAt { get; init; }

    [Id(7)]
    public DateTimeOffset? StartedAt { get; init; }

    [Id(8)]
    public int Recalls { get; init; }
}
