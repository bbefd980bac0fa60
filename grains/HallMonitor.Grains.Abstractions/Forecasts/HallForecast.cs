using System.Text.Json.Serialization;

namespace HallMonitor.Grains;

/// <summary>
/// A hall's staffing forecast (人员建议): per matter and per sector, for the coming hours, the windows needed to call
/// <see cref="HallForecast.Share"/> of the tickets within the wait target, from the arrivals learnt from the journal.
/// </summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.HallForecast")]
public sealed record HallForecast
{
    /// <summary>The share of tickets the advice calls within the wait target.</summary>
    public const double Share = 0.9;

    /// <summary>The most hours a forecast covers.</summary>
    public const int MaxHours = 12;

    [Id(0)]
    public required string Hall { get; init; }

    /// <summary>The moment the forecast was made (hall time).</summary>
    [Id(1)]
    public DateTimeOffset At { get; init; }

    /// <summary>How many past weeks the arrival rates are learnt from.</summary>
    [Id(2)]
    public int Weeks { get; init; }

    [Id(3)]
    public IReadOnlyList<MatterForecast> Matters { get; init; } = [];

    [Id(4)]
    public IReadOnlyList<SectorForecast> Sectors { get; init; } = [];

    /// <summary>
    /// Every matter of the hall as one line, as if every open window served every matter (一窗通办), under the
    /// strictest wait target: what the hall needs with its windows fully shared; the sectors' own lines add up to more.
    /// </summary>
    [Id(5)]
    public required SectorForecast Pooled { get; init; }
}

/// <summary>One matter: its line now, and the windows it needs in the coming hours.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.MatterForecast")]
public sealed record MatterForecast
{
    [Id(0)]
    public required string Matter { get; init; }

    [Id(1)]
    public required string Name { get; init; }

    [Id(2)]
    public required string Sector { get; init; }

    [Id(3)]
    public int Waiting { get; init; }

    /// <summary>Open windows (not paused, not closed) that serve the matter, comprehensive ones included (the hall's prediction).</summary>
    [Id(4)]
    public int ServingWindows { get; init; }

    [Id(5)]
    public int WaitTargetSeconds { get; init; }

    /// <summary>When the last waiting ticket is likely to be called (the hall's prediction); null when nothing waits or no open window serves the matter.</summary>
    [Id(6)]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public DateTimeOffset? LastCallAt { get; init; }

    /// <summary>Waiting tickets predicted to be called after their wait target, or never (the hall's prediction).</summary>
    [Id(7)]
    public int PastTarget { get; init; }

    /// <summary>The handling time the staffing assumes.</summary>
    [Id(8)]
    public double HandleSeconds { get; init; }

    /// <summary>Where <see cref="HandleSeconds"/> comes from.</summary>
    [Id(9)]
    public HandleBasis HandleBasis { get; init; }

    [Id(10)]
    public IReadOnlyList<StaffingHour> Staffing { get; init; } = [];
}

/// <summary>A sector (the matters of one category), or the whole hall, pooled: its arrivals add up, the strictest wait target holds.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.SectorForecast")]
public sealed record SectorForecast
{
    [Id(0)]
    public required string Sector { get; init; }

    [Id(1)]
    public IReadOnlyList<string> Matters { get; init; } = [];

    /// <summary>Open windows now that serve at least one of the sector's matters, comprehensive ones included.</summary>
    [Id(2)]
    public int WindowsOpen { get; init; }

    /// <summary>The strictest wait target of the sector's matters.</summary>
    [Id(3)]
    public int WaitTargetSeconds { get; init; }

    [Id(4)]
    public int Waiting { get; init; }

    [Id(5)]
    public IReadOnlyList<StaffingHour> Staffing { get; init; } = [];
}

/// <summary>One local hour: the arrivals expected, the handling time assumed, and the windows needed.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.StaffingHour")]
public sealed record StaffingHour
{
    [Id(0)]
    public DateTimeOffset From { get; init; }

    [Id(1)]
    public DateTimeOffset To { get; init; }

    [Id(2)]
    public double ArrivalsPerHour { get; init; }

    [Id(3)]
    public double HandleSeconds { get; init; }

    /// <summary>The fewest windows that call the share within the target; null when nothing is known (<see cref="ArrivalBasis.None"/>).</summary>
    [Id(4)]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? WindowsNeeded { get; init; }

    /// <summary>What the arrival rate was learnt from.</summary>
    [Id(5)]
    public ArrivalBasis Basis { get; init; }

    /// <summary>How many service days the rate was learnt from (for <see cref="ArrivalBasis.Today"/>: 1).</summary>
    [Id(6)]
    public int Days { get; init; }
}

/// <summary>What an hour's arrival rate was learnt from, the best first.</summary>
[GenerateSerializer, Alias("HallMonitor.ArrivalBasis")]
public enum ArrivalBasis
{
    /// <summary>The same hour of the same weekday in the past weeks.</summary>
    Weekday,

    /// <summary>The same hour of every past day learnt (no past day of this weekday yet).</summary>
    AllDays,

    /// <summary>Today's arrivals so far, per hour (no past day yet).</summary>
    Today,

    /// <summary>Nothing to learn from: no ticket in the past weeks nor today.</summary>
    None,
}

/// <summary>Where a matter's handling time comes from.</summary>
[GenerateSerializer, Alias("HallMonitor.HandleBasis")]
public enum HandleBasis
{
    /// <summary>The mean of the services completed in the recent days.</summary>
    Recent,

    /// <summary>The matter's handle target: no service completed recently.</summary>
    Target,
}

/// <summary>
/// Arrivals and services of one matter on one service day, by local hour of issue: what a forecast learns from.
/// Every ticket leg counts, transferred-in legs too (each takes a window).
/// </summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.MatterDay")]
public sealed record MatterDay
{
    [Id(0)]
    public DateOnly Day { get; init; }

    [Id(1)]
    public required string Matter { get; init; }

    /// <summary>Tickets issued per local hour, 24 entries.</summary>
    [Id(2)]
    public required int[] Issued { get; init; }

    /// <summary>Services completed or transferred (handle time known).</summary>
    [Id(3)]
    public int Handled { get; init; }

    [Id(4)]
    public double HandleSecondsTotal { get; init; }
}

/// <summary>A staffing forecast for a hall (key <c>{hallId}</c>), learnt from the report facts and cached per service day.</summary>
public interface IForecastGrain : IGrainWithStringKey
{
    /// <summary>The forecast for the current local hour and the <paramref name="hours"/> − 1 after it.</summary>
    [ResponseTimeout(LongRead.Timeout)]
    Task<HallForecast> GetForecastAsync(int hours);
}
