namespace HallMonitor.Grains;

/// <summary>
/// When the tickets waiting in a hall are likely to be called (预计叫号): the hall's open windows take the waiting
/// tickets in the hall's dispatch order, each service lasting its matter's recent average handling time.
/// </summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.HallPrediction")]
public sealed record HallPrediction
{
    /// <summary>The moment the prediction starts from (hall time).</summary>
    [Id(0)]
    public DateTimeOffset At { get; init; }

    [Id(1)]
    public IReadOnlyList<MatterPrediction> Matters { get; init; } = [];

    /// <summary>The windows open now (idle, calling or serving): those the prediction plays forward.</summary>
    [Id(2)]
    public IReadOnlyList<string> OpenWindows { get; init; } = [];
}

/// <summary>One matter's waiting line as predicted.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.MatterPrediction")]
public sealed record MatterPrediction
{
    [Id(0)]
    public required string Matter { get; init; }

    [Id(1)]
    public int Waiting { get; init; }

    /// <summary>Open windows (not paused, not closed) that serve the matter, comprehensive ones included.</summary>
    [Id(2)]
    public int ServingWindows { get; init; }

    /// <summary>The handling time the prediction assumes: the recent average, or the handle target before the first service.</summary>
    [Id(3)]
    public double HandleSeconds { get; init; }

    [Id(4)]
    public double WaitTargetSeconds { get; init; }

    /// <summary>When the last waiting ticket is likely to be called; null when nothing waits or no open window serves the matter.</summary>
    [Id(5)]
    public DateTimeOffset? LastCallAt { get; init; }

    /// <summary>Waiting tickets predicted to be called after their wait target, or never (no open window serves the matter).</summary>
    [Id(6)]
    public int PastTarget { get; init; }

    /// <summary>Each waiting ticket in predicted call order, when asked for.</summary>
    [Id(7)]
    public IReadOnlyList<TicketPrediction>? Tickets { get; init; }
}

/// <summary>A waiting ticket and when it is likely to be called; <see cref="CallAt"/> null when no open window serves its matter.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.TicketPrediction")]
public sealed record TicketPrediction(
    [property: Id(0)] string TicketId,
    [property: Id(1)] string Number,
    [property: Id(2)] bool Priority,
    [property: Id(3)] DateTimeOffset IssuedAt,
    [property: Id(4)] DateTimeOffset? CallAt);
