using System.Text.Json.Serialization;

namespace HallMonitor.Grains;

/// <summary>How a summary report groups tickets.</summary>
[GenerateSerializer, Alias("HallMonitor.ReportGrouping")]
public enum ReportGrouping
{
    Hall,
    Window,
    Clerk,
    Matter,
    Hour,
    Day,
}

/// <summary>A summary of service over a range of service days (效能监察).</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.SummaryReport")]
public sealed record SummaryReport
{
    [Id(0)]
    public required string Hall { get; init; }

    [Id(1)]
    public DateOnly From { get; init; }

    [Id(2)]
    public DateOnly To { get; init; }

    [Id(3)]
    public ReportGrouping GroupBy { get; init; }

    /// <summary>The journal event the report reflects.</summary>
    [Id(4)]
    public long Seq { get; init; }

    [Id(5)]
    public IReadOnlyList<SummaryRow> Rows { get; init; } = [];
}

/// <summary>
/// One group of tickets. Tickets count on the day and hour they were issued; by window and clerk, a ticket
/// counts where it was called (tickets never called are under <c>—</c>). Durations are seconds; rates are
/// fractions from 0 to 1, or null when there is nothing to rate.
/// </summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.SummaryRow")]
public sealed record SummaryRow
{
    [Id(0)]
    public required string Key { get; init; }

    /// <summary>A readable name for the key: the matter's or window's name.</summary>
    [Id(1)]
    public string? Label { get; init; }

    [Id(2)]
    public int Issued { get; init; }

    [Id(3)]
    public int Completed { get; init; }

    [Id(4)]
    public int NoShow { get; init; }

    [Id(5)]
    public int Cancelled { get; init; }

    [Id(6)]
    public int Transferred { get; init; }

    [Id(7)]
    public int Expired { get; init; }

    [Id(8)]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? AvgWaitSeconds { get; init; }

    [Id(9)]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? P90WaitSeconds { get; init; }

    [Id(10)]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? AvgHandleSeconds { get; init; }

    [Id(11)]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? P90HandleSeconds { get; init; }

    /// <summary>Tickets that waited at least their matter's wait target (called late, or never called in time).</summary>
    [Id(12)]
    public int WaitOvertime { get; init; }

    /// <summary>Services that lasted at least their matter's handle target.</summary>
    [Id(13)]
    public int HandleOvertime { get; init; }

    [Id(14)]
    public int Rated { get; init; }

    /// <summary>Share of ratings that are 4 or 5.</summary>
    [Id(15)]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? SatisfactionRate { get; init; }

    /// <summary>Share of called tickets called within the wait target.</summary>
    [Id(16)]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? ServiceLevel { get; init; }

    /// <summary>Share of called tickets whose visitor did not come.</summary>
    [Id(17)]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? NoShowRate { get; init; }
}

/// <summary>Tickets issued per weekday and hour (peak hours, 高峰时段).</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.PeakReport")]
public sealed record PeakReport
{
    [Id(0)]
    public required string Hall { get; init; }

    [Id(1)]
    public DateOnly From { get; init; }

    [Id(2)]
    public DateOnly To { get; init; }

    /// <summary>[weekday][hour]: weekday 0 is Monday, hours are local.</summary>
    [Id(3)]
    public required int[][] Issued { get; init; }
}

/// <summary>How waits and services were spread, in buckets of minutes.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.DistributionReport")]
public sealed record DistributionReport
{
    [Id(0)]
    public required string Hall { get; init; }

    [Id(1)]
    public DateOnly From { get; init; }

    [Id(2)]
    public DateOnly To { get; init; }

    /// <summary>The upper bounds of the buckets in minutes; the last bucket is open.</summary>
    [Id(3)]
    public IReadOnlyList<int> BucketMinutes { get; init; } = [];

    [Id(4)]
    public IReadOnlyList<int> Wait { get; init; } = [];

    [Id(5)]
    public IReadOnlyList<int> Handle { get; init; } = [];
}

/// <summary>
/// Cases accepted and bad reviews rated on a range of service days (时限监察, 差评整改): on-time completion per matter
/// and per window, the open ones by level and the overdue ones, as they stand at <see cref="At"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.CaseReport")]
public sealed record CaseReport
{
    [Id(0)]
    public required string Hall { get; init; }

    [Id(1)]
    public DateOnly From { get; init; }

    [Id(2)]
    public DateOnly To { get; init; }

    /// <summary>The journal event the report reflects.</summary>
    [Id(3)]
    public long Seq { get; init; }

    /// <summary>The moment levels and overdue follow-ups are judged at.</summary>
    [Id(4)]
    public DateTimeOffset At { get; init; }

    [Id(5)]
    public IReadOnlyList<CaseReportRow> ByMatter { get; init; } = [];

    /// <summary>By the window that accepted the case, or that served the rated ticket.</summary>
    [Id(6)]
    public IReadOnlyList<CaseReportRow> ByWindow { get; init; } = [];

    /// <summary>Undecided cases per level, every level listed.</summary>
    [Id(7)]
    public IReadOnlyList<CaseLevelCount> OpenByLevel { get; init; } = [];

    /// <summary>Cases whose promised deadline passed before their decision (or before now, undecided), the earliest deadline first.</summary>
    [Id(8)]
    public IReadOnlyList<OverdueCase> Overdue { get; init; } = [];
}

/// <summary>
/// Cases and follow-ups of one matter or window. <see cref="OnTimeRate"/> is decided on time among decided, null
/// before any decision; a follow-up is overdue when closed after its due time or still open past it.
/// </summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.CaseReportRow")]
public sealed record CaseReportRow
{
    [Id(0)]
    public required string Key { get; init; }

    [Id(1)]
    public string? Label { get; init; }

    [Id(2)]
    public int Accepted { get; init; }

    [Id(3)]
    public int Decided { get; init; }

    [Id(4)]
    public int DecidedOnTime { get; init; }

    [Id(5)]
    public double? OnTimeRate { get; init; }

    /// <summary>Not decided yet.</summary>
    [Id(6)]
    public int Open { get; init; }

    /// <summary>Not decided and past the promised deadline.</summary>
    [Id(7)]
    public int OpenOverdue { get; init; }

    [Id(8)]
    public int FollowUpsOpened { get; init; }

    [Id(9)]
    public int FollowUpsClosedOnTime { get; init; }

    [Id(10)]
    public int FollowUpsOverdue { get; init; }
}

/// <summary>How many undecided cases stand at a level.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.CaseLevelCount")]
public sealed record CaseLevelCount(CaseLevel Level, int Cases);

/// <summary>A case past its promised deadline: decided late, or not decided yet.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.OverdueCase")]
public sealed record OverdueCase
{
    [Id(0)]
    public required string CaseId { get; init; }

    [Id(1)]
    public required string Number { get; init; }

    [Id(2)]
    public required string Matter { get; init; }

    [Id(3)]
    public string? MatterName { get; init; }

    [Id(4)]
    public string? Window { get; init; }

    [Id(5)]
    public CaseState State { get; init; }

    [Id(6)]
    public DateTimeOffset AcceptedAt { get; init; }

    [Id(7)]
    public DateTimeOffset PromisedDue { get; init; }

    [Id(8)]
    public DateTimeOffset? StatutoryDue { get; init; }

    [Id(9)]
    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary><c>red</c> or <c>statutoryRed</c>, at the decision or now.</summary>
    [Id(10)]
    public CaseLevel Level { get; init; }
}
