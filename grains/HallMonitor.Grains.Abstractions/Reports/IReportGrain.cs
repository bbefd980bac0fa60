
namespace HallMonitor.Grains;

/// <summary>The response timeout of calls that may read a year of a hall's records (reports, verification).</summary>
public static class LongRead
{
    public const string Timeout = "00:01:00";
}

/// <summary>
/// The reports of a hall (key <c>{hallId}</c>): a projection of the journal into one fact per ticket,
/// stored by service day, from which summaries over any range are computed.
/// </summary>
public interface IReportGrain : IGrainWithStringKey
{
    /// <summary>Tickets of the service days from <paramref name="from"/> to <paramref name="to"/>, grouped.</summary>
    [ResponseTimeout(LongRead.Timeout)]
    Task<SummaryReport> GetSummaryAsync(DateOnly from, DateOnly to, ReportGrouping groupBy);

    [ResponseTimeout(LongRead.Timeout)]
    Task<PeakReport> GetPeaksAsync(DateOnly from, DateOnly to);

    [ResponseTimeout(LongRead.Timeout)]
    Task<DistributionReport> GetDistributionAsync(DateOnly from, DateOnly to);

    /// <summary>Cases accepted and follow-ups opened on the service days from <paramref name="from"/> to <paramref name="to"/>.</summary>
    [ResponseTimeout(LongRead.Timeout)]
    Task<CaseReport> GetCasesAsync(DateOnly from, DateOnly to);

    /// <summary>Arrivals by hour and services per matter on the service days from <paramref name="from"/> to <paramref name="to"/> (staffing forecasts learn from them).</summary>
    [ResponseTimeout(LongRead.Timeout)]
    Task<IReadOnlyList<MatterDay>> GetMatterDaysAsync(DateOnly from, DateOnly to);

    /// <summary>Delivers committed journal records in sequence order.</summary>
    Task ApplyCommittedAsync(IReadOnlyList<JournalRecord> records);
}
