namespace HallMonitor.Grains;

/// <summary>Computes report rows from ticket facts: counts, averages, 90th percentiles and rates.</summary>
public static class SummaryBuilder
{
    /// <summary>Upper bounds, in minutes, of the wait and handle distribution buckets.</summary>
    public static readonly IReadOnlyList<int> BucketMinutes = [5, 10, 15, 20, 30, 45, 60, 90, 120];

    public static IReadOnlyList<SummaryRow> Rows(Hall hall, IEnumerable<TicketFact> facts, ReportGrouping groupBy, DateTimeOffset now) =>
        [.. facts
            .GroupBy(f => Key(f, groupBy))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Row(hall, g.Key, Label(hall, g.Key, groupBy), [.. g], now))];

    public static int[][] Peaks(IEnumerable<TicketFact> facts)
    {
        var peaks = Enumerable.Range(0, 7).Select(_ => new int[24]).ToArray();
        foreach (var fact in facts)
        {
            peaks[((int)fact.ServiceDay.DayOfWeek + 6) % 7][fact.IssuedAt.Hour]++;
        }

        return peaks;
    }

    /// <summary>Counts per bucket of <see cref="BucketMinutes"/>, plus one open bucket for longer ones.</summary>
    public static IReadOnlyList<int> Distribution(IEnumerable<double> seconds)
    {
        var counts = new int[BucketMinutes.Count + 1];
        foreach (var value in seconds)
        {
            var minutes = value / 60;
            var bucket = 0;
            while (bucket < BucketMinutes.Count && minutes > BucketMinutes[bucket])
            {
                bucket++;
            }

            counts[bucket]++;
        }

        return counts;
    }

    private static SummaryRow Row(Hall hall, string key, string? label, List<TicketFact> facts, DateTimeOffset now)
    {
        var called = facts.Where(f => f.WaitSeconds is not null).ToList();
        var waits = called.Select(f => f.WaitSeconds!.Value).Order().ToList();
        var handles = facts.Where(f => f.HandleSeconds is not null).Select(f => f.HandleSeconds!.Value).Order().ToList();
        var ratings = facts.Where(f => f.Score is not null).ToList();
        var noShow = facts.Count(f => f.State == TicketState.NoShow);
        return new SummaryRow
        {
            Key = key,
            Label = label,
            Issued = facts.Count,
            Completed = facts.Count(f => f.State == TicketState.Completed),
            NoShow = noShow,
            Cancelled = facts.Count(f => f.State == TicketState.Cancelled),
            Transferred = facts.Count(f => f.State == TicketState.Transferred),
            Expired = facts.Count(f => f.State == TicketState.Expired),
            AvgWaitSeconds = Average(waits),
            P90WaitSeconds = Percentile90(waits),
            AvgHandleSeconds = Average(handles),
            P90HandleSeconds = Percentile90(handles),
            WaitOvertime = facts.Count(f => Waited(f, now) >= Target(hall, f).Wait),
            HandleOvertime = facts.Count(f => Handled(f, now) is { } handled && handled >= Target(hall, f).Handle),
            Rated = ratings.Count,
            SatisfactionRate = Rate(ratings.Count(f => f.Score >= 4), ratings.Count),
            ServiceLevel = Rate(called.Count(f => f.WaitSeconds < Target(hall, f).Wait), called.Count),
            NoShowRate = Rate(noShow, called.Count),
        };
    }

    /// <summary>How long the ticket waited: to its first call, or until it ended (or now) if never called.</summary>
    private static double Waited(TicketFact fact, DateTimeOffset now) =>
        fact.WaitSeconds ?? ((fact.FinishedAt ?? now) - fact.IssuedAt).TotalSeconds;

    /// <summary>How long the service lasted; up to now while it runs; null when there was none.</summary>
    private static double? Handled(TicketFact fact, DateTimeOffset now) =>
        fact.HandleSeconds ?? (fact.State == TicketState.Serving && fact.StartedAt is { } started ? (now - started).TotalSeconds : null);

    private static (int Wait, int Handle) Target(Hall hall, TicketFact fact) =>
        hall.TryGetMatter(fact.Matter, out var matter) ? (matter.WaitTargetSeconds, matter.HandleTargetSeconds) : (int.MaxValue, int.MaxValue);

    private static string Key(TicketFact fact, ReportGrouping groupBy) => groupBy switch
    {
        ReportGrouping.Hall => "hall",
        ReportGrouping.Window => fact.Window ?? "—",
        ReportGrouping.Clerk => fact.Clerk ?? "—",
        ReportGrouping.Matter => fact.Matter,
        ReportGrouping.Hour => fact.IssuedAt.Hour.ToString("00", System.Globalization.CultureInfo.InvariantCulture),
        _ => fact.ServiceDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string? Label(Hall hall, string key, ReportGrouping groupBy) => groupBy switch
    {
        ReportGrouping.Hall => hall.Name,
        ReportGrouping.Matter => hall.TryGetMatter(key, out var matter) ? matter.Name : null,
        ReportGrouping.Window => hall.TryGetWindow(key, out var window) ? window.Name : null,
        _ => null,
    };

    private static double? Average(List<double> values) => values.Count == 0 ? null : Math.Round(values.Average(), 1);

    /// <summary>The nearest-rank 90th percentile of sorted values.</summary>
    private static double? Percentile90(List<double> sorted) =>
        sorted.Count == 0 ? null : sorted[(int)Math.Ceiling(0.9 * sorted.Count) - 1];

    private static double? Rate(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);
}
