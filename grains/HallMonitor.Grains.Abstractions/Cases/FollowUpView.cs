namespace HallMonitor.Grains;

/// <summary>The follow-up of a bad review (差评整改) as supervisors see it.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.FollowUpView")]
public sealed record FollowUpView
{
    /// <summary>The rated ticket's id: a ticket is rated once, so it has at most one follow-up.</summary>
    [Id(0)]
    public required string FollowUpId { get; init; }

    [Id(1)]
    public required string TicketId { get; init; }

    [Id(2)]
    public required string Number { get; init; }

    [Id(3)]
    public required string Matter { get; init; }

    [Id(4)]
    public string? Window { get; init; }

    [Id(5)]
    public int Score { get; init; }

    [Id(6)]
    public string? Comment { get; init; }

    [Id(7)]
    public DateTimeOffset OpenedAt { get; init; }

    [Id(8)]
    public DateTimeOffset Due { get; init; }

    [Id(9)]
    public FollowUpState State { get; init; }

    [Id(10)]
    public DateTimeOffset? ClosedAt { get; init; }

    [Id(11)]
    public string? ClosedBy { get; init; }

    /// <summary>What the supervisor did about it.</summary>
    [Id(12)]
    public string? Note { get; init; }

    /// <summary>Open past its due time, or closed after it.</summary>
    [Id(13)]
    public bool Overdue { get; init; }
}

/// <summary>A follow-up is open until a supervisor closes it with a note.</summary>
[GenerateSerializer, Alias("HallMonitor.FollowUpState")]
public enum FollowUpState
{
    Open,
    Closed,
}

/// <summary>The follow-up of a rating of 1 or 2 (key <c>{hall}/{followUpId}</c>), rebuilt from its ticket's journal events.</summary>
public interface IFollowUpGrain : IGrainWithStringKey
{
    Task<FollowUpView> GetAsync();

    /// <summary>Closes the follow-up with what was done; <see cref="ConflictException"/> if it is closed already.</summary>
    Task<FollowUpView> CloseAsync(string note, string by);

    Task<AlertView> AcknowledgeAlertAsync(string alertId, string by);

    /// <summary>Brings the follow-up back and journals its overdue card if it came due; the hall's wake reminder calls it.</summary>
    Task WakeAsync();
}
