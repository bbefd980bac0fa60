
namespace HallMonitor.Grains;

/// <summary>
/// The reports of a hall (key <c>{hallId}</c>): a projection of the journal into one fact per ticket,
/// stored by service day, from which summaries over any range are computed.
/// </summary>
public interface IReportGrain : IGrainWithStringKey
{
    /// <summary>Tickets of the service days from <paramref name="from"/> to <paramref name="to"/>, grouped.</summary>
    Task<SummaryReport> GetSummaryAsync(DateOnly from, DateOnly to, ReportGrouping groupBy);

    Task<PeakReport> GetPeaksAsync(DateOnly from, DateOnly to);

    Task<DistributionReport> GetDistributionAsync(DateOnly from, DateOnly to);

    /// <summary>Delivers committed journal records in sequence order.</summary>
    Task ApplyCommittedAsync(IReadOnlyList<JournalRecord> records);
}
