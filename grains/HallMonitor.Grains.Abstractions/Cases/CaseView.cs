namespace HallMonitor.Grains;

/// <summary>Where a case (办件) stands: the time limit runs from acceptance until the decision, stopped while materials are awaited.</summary>
[GenerateSerializer, Alias("HallMonitor.CaseState")]
public enum CaseState
{
    /// <summary>Accepted at the window (受理).</summary>
    Accepted,

    /// <summary>In review (审查).</summary>
    InReview,

    /// <summary>Awaiting materials from the applicant (补正材料); the clock is stopped.</summary>
    AwaitingMaterials,

    /// <summary>Decided (办结); the time limit is met or missed here.</summary>
    Decided,

    /// <summary>The result was delivered (送达).</summary>
    Delivered,
}

/// <summary>A step of a case. <see cref="Accepted"/> is the opening, never requested.</summary>
[GenerateSerializer, Alias("HallMonitor.CaseStep")]
public enum CaseStep
{
    Accepted,
    Review,
    AwaitMaterials,
    Resume,
    Decide,
    Deliver,
}

/// <summary>
/// How near a case is to its deadlines: <see cref="Yellow"/> within the last working day before the promised one,
/// <see cref="Red"/> past it, <see cref="StatutoryRed"/> past the statutory one.
/// </summary>
[GenerateSerializer, Alias("HallMonitor.CaseLevel")]
public enum CaseLevel
{
    Ok,
    Yellow,
    Red,
    StatutoryRed,
}

/// <summary>Which cases a list asks for.</summary>
[GenerateSerializer, Alias("HallMonitor.CaseFilter")]
public enum CaseFilter
{
    /// <summary>Not decided yet (the time limit runs or is stopped).</summary>
    Open,

    /// <summary>Not decided and past the promised deadline.</summary>
    Overdue,

    /// <summary>Open ones and those the hall still lists after their decision.</summary>
    All,
}

/// <summary>One step of a case: what, when, who, and an optional note.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.CaseStepView")]
public sealed record CaseStepView(CaseStep Step, DateTimeOffset At, string By, string? Note);

/// <summary>A case as supervisors and clerks see it. Lists leave out the lookup code and the steps.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.CaseView")]
public sealed record CaseView
{
    /// <summary>The id of the ticket whose service accepted the case (<c>20261123-A001</c>): unique in the hall for ever.</summary>
    [Id(0)]
    public required string CaseId { get; init; }

    /// <summary>The 6-digit lookup code (查询码) handed to the visitor; null in lists.</summary>
    [Id(1)]
    public string? LookupCode { get; init; }

    [Id(2)]
    public required string TicketId { get; init; }

    [Id(3)]
    public required string Number { get; init; }

    [Id(4)]
    public required string Matter { get; init; }

    [Id(5)]
    public string? MatterName { get; init; }

    /// <summary>The window that accepted the case.</summary>
    [Id(6)]
    public required string Window { get; init; }

    /// <summary>The clerk who accepted it.</summary>
    [Id(7)]
    public required string Clerk { get; init; }

    [Id(8)]
    public CaseState State { get; init; }

    [Id(9)]
    public DateTimeOffset AcceptedAt { get; init; }

    /// <summary>The promised deadline (承诺时限), moved by the working days spent awaiting materials.</summary>
    [Id(10)]
    public DateTimeOffset PromisedDue { get; init; }

    /// <summary>The statutory deadline (法定时限), when the matter has one.</summary>
    [Id(11)]
    public DateTimeOffset? StatutoryDue { get; init; }

    /// <summary>Working days spent awaiting materials so far (finished pauses).</summary>
    [Id(12)]
    public int PausedDays { get; init; }

    /// <summary>Since when the case awaits materials, while it does.</summary>
    [Id(13)]
    public DateTimeOffset? PausedSince { get; init; }

    [Id(14)]
    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>Decided by the promised deadline; null until decided.</summary>
    [Id(15)]
    public bool? OnTime { get; init; }

    [Id(16)]
    public CaseLevel Level { get; init; }

    /// <summary>Every step with who and when; null in lists.</summary>
    [Id(17)]
    public IReadOnlyList<CaseStepView>? Steps { get; init; }
}

/// <summary>What a visitor may see of a case (办件进度): no names, no notes.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.CaseProgress")]
public sealed record CaseProgress
{
    [Id(0)]
    public required string CaseId { get; init; }

    [Id(1)]
    public required string Matter { get; init; }

    [Id(2)]
    public string? MatterName { get; init; }

    [Id(3)]
    public CaseState State { get; init; }

    [Id(4)]
    public DateTimeOffset AcceptedAt { get; init; }

    [Id(5)]
    public DateTimeOffset PromisedDue { get; init; }

    [Id(6)]
    public required IReadOnlyList<CaseProgressStep> Steps { get; init; }
}

/// <summary>A step as a visitor sees it: what and when.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.CaseProgressStep")]
public sealed record CaseProgressStep(CaseStep Step, DateTimeOffset At);

/// <summary>
/// A case (key <c>{hall}/{caseId}</c>). It owns its steps and its deadline cards; its events are the journal
/// events of its ticket id, so it is rebuilt from the journal's ticket index.
/// </summary>
public interface ICaseGrain : IGrainWithStringKey
{
    /// <summary>The case; <see cref="NotFoundException"/> when there is no such case.</summary>
    Task<CaseView> GetAsync();

    /// <summary>The visitor's view, only with the right lookup code: a wrong one is the same 404 as an unknown case.</summary>
    Task<CaseProgress> GetProgressAsync(string lookupCode);

    /// <summary>Takes the next step, or refuses a step out of order with <see cref="ConflictException"/> and changes nothing.</summary>
    Task<CaseView> StepAsync(CaseStep step, string by, string? note);

    Task<AlertView> AcknowledgeAlertAsync(string alertId, string by);

    /// <summary>Brings the case back if it was collected and journals the cards that came due; the hall's wake reminder calls it.</summary>
    Task WakeAsync();
}
