using System.Text.Json.Serialization;

namespace HallMonitor.Grains;

/// <summary>How a summary report groups tickets.</summary>
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
public sealed record SummaryReport
{
    public required string Hall { get; init; }

    public DateOnly From { get; init; }

    public DateOnly To { get; init; }

    public ReportGrouping GroupBy { get; init; }

    /// <summary>The journal event the report reflects.</summary>
    public long Seq { get; init; }

    public IReadOnlyList<SummaryRow> Rows { get; init; } = [];
}

/// <summary>
/// One group of tickets. Tickets count on the day and hour they were issued; by window and clerk, a ticket
/// counts where it was called (tickets never called are under <c>—</c>). Durations are seconds; rates are
/// fractions from 0 to 1, or null when there is nothing to rate.
/// </summary>
public sealed record SummaryRow
{
    public required string Key { get; init; }

    /// <summary>A readable name for the key: the matter's or window's name.</summary>
    public string? Label { get; init; }

    public int Issued { get; init; }

    public int Completed { get; init; }

    public int NoShow { get; init; }

    public int Cancelled { get; init; }

    public int Transferred { get; init; }

    public int Expired { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? AvgWaitSeconds { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? P90WaitSeconds { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? AvgHandleSeconds { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? P90HandleSeconds { get; init; }

    /// <summary>Tickets that waited at least their matter's wait target (called late, or never called in time).</summary>
    public int WaitOvertime { get; init; }

    /// <summary>Services that lasted at least their matter's handle target.</summary>
    public int HandleOvertime { get; init; }

    public int Rated { get; init; }

    /// <summary>Share of ratings that are 4 or 5.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? SatisfactionRate { get; init; }

    /// <summary>Share of called tickets called within the wait target.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? ServiceLevel { get; init; }

    /// <summary>Share of called tickets whose visitor did not come.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public double? NoShowRate { get; init; }
}

/// <summary>Tickets issued per weekday and hour (peak hours, 高峰时段).</summary>
public sealed record PeakReport
{
    public required string Hall { get; init; }

    public DateOnly From { get; init; }

    public DateOnly To { get; init; }

    /// <summary>[weekday][hour]: weekday 0 is Monday, hours are local.</summary>
    public required int[][] Issued { get; init; }
}

/// <summary>How waits and services were spread, in buckets of minutes.</summary>
public sealed record DistributionReport
{
    public required string Hall { get; init; }

    public DateOnly From { get; init; }

    public DateOnly To { get; init; }

    /// <summary>The upper bounds of the buckets in minutes; the last bucket is open.</summary>
    public IReadOnlyList<int> BucketMinutes { get; init; } = [];

    public IReadOnlyList<int> Wait { get; init; } = [];

    public IReadOnlyList<int> Handle { get; init; } = [];
}
