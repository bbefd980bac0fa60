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
