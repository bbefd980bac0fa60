using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace HallMonitor.Grains;

/// <summary>
/// The hall's Prometheus metrics as <see cref="System.Diagnostics.Metrics"/> instruments. Counters and
/// histograms are fed by the hall projection with every live journal event; gauges read the picture the
/// hall grain publishes after each batch. Labels are bounded: hall, matter, outcome, state, kind, level,
/// score — never a ticket or a clerk.
/// </summary>
public sealed class HallMetrics
{
    public const string MeterName = "HallMonitor";

    /// <summary>Waits and services last minutes, not milliseconds: buckets from 30 s to 2 h.</summary>
    private static readonly double[] DurationBuckets = [30, 60, 120, 300, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200];
    private static readonly double[] AppendBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
    private static readonly string[] Outcomes = ["completed", "no_show", "cancelled", "transferred", "expired"];

    private readonly HallCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, HallGauges> _gauges = new(StringComparer.Ordinal);
    private readonly Counter<long> _issued;
    private readonly Counter<long> _finished;
    private readonly Counter<long> _alertsRaised;
    private readonly Counter<long> _ratings;
    private readonly Histogram<double> _wait;
    private readonly Histogram<double> _handle;
    private readonly Histogram<double> _journalAppend;

    public HallMetrics(IMeterFactory meters, HallCatalog catalog, TimeProvider time)
    {
        _catalog = catalog;
        _time = time;
        var meter = meters.Create(MeterName);
        _issued = meter.CreateCounter<long>("hallmonitor_tickets_issued", description: "Tickets issued (取号), new legs of transfers included.");
        _finished = meter.CreateCounter<long>("hallmonitor_tickets_finished", description: "Tickets that reached an end: completed, no_show, cancelled, transferred or expired.");
        _alertsRaised = meter.CreateCounter<long>("hallmonitor_alerts_raised", description: "Overtime alerts (超时预警) reaching a level: warning when raised, overtime when escalated or raised red.");
        _ratings = meter.CreateCounter<long>("hallmonitor_ratings", description: "Service ratings (好差评) by score, 5 非常满意 to 1 非常不满意.");
        _wait = meter.CreateHistogram("hallmonitor_ticket_wait", unit: "s", description: "Waiting time from ticket to first call.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _handle = meter.CreateHistogram("hallmonitor_ticket_handle", unit: "s", description: "Handling time from start of service to completion or transfer.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _journalAppend = meter.CreateHistogram("hallmonitor_journal_append", unit: "s", description: "Time from sequencing journal events to their durable commit.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = AppendBuckets });

        meter.CreateObservableGauge("hallmonitor_queue_waiting", ObserveWaiting, description: "Tickets waiting per matter.");
        meter.CreateObservableGauge("hallmonitor_queue_oldest_wait", ObserveOldestWait, unit: "s", description: "How long the longest-waiting ticket of the matter has waited; 0 when none waits.");
        meter.CreateObservableGauge("hallmonitor_queue_wait_target", ObserveWaitTarget, unit: "s", description: "The matter's wait target (configuration), for alerting rules.");
        meter.CreateObservableGauge("hallmonitor_hall_backlog_threshold", ObserveBacklogThreshold, description: "The hall's backlog threshold (configuration), for alerting rules.");
        meter.CreateObservableGauge("hallmonitor_windows", ObserveWindows, description: "Windows per state.");
        meter.CreateObservableGauge("hallmonitor_alerts_open", ObserveOpenAlerts, description: "Open overtime alerts per kind.");
    }

    /// <summary>Every series of the counters and histograms, so that they exist at zero from start-up.</summary>
    public IEnumerable<(Instrument Instrument, KeyValuePair<string, object?>[] Tags)> Series()
    {
        foreach (var hall in _catalog.Halls)
        {
            yield return (_journalAppend, [new("hall", hall.Id)]);
            foreach (var matter in hall.Matters)
            {
                KeyValuePair<string, object?>[] tags = [new("hall", hall.Id), new("matter", matter.Code)];
                yield return (_issued, tags);
                yield return (_wait, tags);
                yield return (_handle, tags);
                foreach (var outcome in Outcomes)
                {
                    yield return (_finished, [.. tags, new("outcome", outcome)]);
                }

                foreach (var kind in Enum.GetValues<AlertKind>())
                {
                    foreach (var level in Enum.GetValues<AlertLevel>())
                    {
                        yield return (_alertsRaised, [.. tags, new("kind", Name(kind)), new("level", Name(level))]);
                    }
                }

                for (var score = 1; score <= 5; score++)
                {
                    yield return (_ratings, [.. tags, new("score", score.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
                }
            }
        }
    }

    /// <summary>Counts one live journal event.</summary>
    public void Count(string hallId, JournalRecord record)
    {
        var hall = new KeyValuePair<string, object?>("hall", hallId);
        switch (record.Event)
        {
            case TicketIssued e:
                _issued.Add(1, hall, new("matter", e.Matter));
                break;
            case TicketCalled e:
                _wait.Record(e.WaitSeconds, hall, new("matter", e.Matter));
                break;
            case ServiceCompleted e:
                _handle.Record(e.HandleSeconds, hall, new("matter", e.Matter));
                Finished(hall, e.Matter, "completed");
                break;
            case TicketTransferred e:
                _handle.Record(e.HandleSeconds, hall, new("matter", e.Matter));
                Finished(hall, e.Matter, "transferred");
                break;
            case TicketNoShow e:
                Finished(hall, e.Matter, "no_show");
                break;
            case TicketCancelled e:
                Finished(hall, e.Matter, "cancelled");
                break;
            case TicketExpired e:
                Finished(hall, e.Matter, "expired");
                break;
            case TicketRated e:
                _ratings.Add(1, hall, new("matter", e.Matter), new("score", e.Score.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                break;
            case AlertRaised { Alert: var alert }:
                _alertsRaised.Add(1, hall, new("matter", alert.Matter), new("kind", Name(alert.Kind)), new("level", Name(AlertLevel.Warning)));
                if (alert.Level == AlertLevel.Overtime)
                {
                    _alertsRaised.Add(1, hall, new("matter", alert.Matter), new("kind", Name(alert.Kind)), new("level", Name(AlertLevel.Overtime)));
                }

                break;
            case AlertEscalated { Alert: var alert }:
                _alertsRaised.Add(1, hall, new("matter", alert.Matter), new("kind", Name(alert.Kind)), new("level", Name(AlertLevel.Overtime)));
                break;
        }
    }

    /// <summary>How long a journal append took from sequencing to durable commit.</summary>
    public void RecordJournalAppend(string hallId, TimeSpan elapsed) =>
        _journalAppend.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("hall", hallId));

    /// <summary>The hall's live picture for the gauges, as of its latest applied event.</summary>
    public void Publish(string hallId, HallGauges gauges) => _gauges[hallId] = gauges;

    private void Finished(KeyValuePair<string, object?> hall, string matter, string outcome) =>
        _finished.Add(1, hall, new("matter", matter), new("outcome", outcome));

    private IEnumerable<Measurement<int>> ObserveWaiting() =>
        PerMatter((gauges, matter) => gauges?.Queues.GetValueOrDefault(matter.Code)?.Waiting ?? 0);

    private IEnumerable<Measurement<double>> ObserveOldestWait()
    {
        var now = _time.GetUtcNow();
        return PerMatter((gauges, matter) => gauges?.Queues.GetValueOrDefault(matter.Code)?.OldestIssuedAt is { } oldest
            ? Math.Max(0, (now - oldest).TotalSeconds)
            : 0d);
    }

    private IEnumerable<Measurement<int>> ObserveWaitTarget() => PerMatter((_, matter) => matter.WaitTargetSeconds);

    private IEnumerable<Measurement<int>> ObserveBacklogThreshold() =>
        _catalog.Halls.Select(h => new Measurement<int>(h.Definition.BacklogThreshold, new KeyValuePair<string, object?>("hall", h.Id)));

    private IEnumerable<Measurement<int>> ObserveWindows() =>
        _catalog.Halls.SelectMany(h => Enum.GetValues<WindowState>().Select(state => new Measurement<int>(
            _gauges.TryGetValue(h.Id, out var gauges) ? gauges.Windows.GetValueOrDefault(state) : state == WindowState.Closed ? h.Windows.Count : 0,
            new KeyValuePair<string, object?>("hall", h.Id),
            new KeyValuePair<string, object?>("state", Name(state)))));

    private IEnumerable<Measurement<int>> ObserveOpenAlerts() =>
        _catalog.Halls.SelectMany(h => Enum.GetValues<AlertKind>().Select(kind => new Measurement<int>(
            _gauges.TryGetValue(h.Id, out var gauges) ? gauges.OpenAlerts.GetValueOrDefault(kind) : 0,
            new KeyValuePair<string, object?>("hall", h.Id),
            new KeyValuePair<string, object?>("kind", Name(kind)))));

    private IEnumerable<Measurement<T>> PerMatter<T>(Func<HallGauges?, MatterDefinition, T> value)
        where T : struct =>
        _catalog.Halls.SelectMany(h => h.Matters.Select(m => new Measurement<T>(
            value(_gauges.GetValueOrDefault(h.Id), m),
            new KeyValuePair<string, object?>("hall", h.Id),
            new KeyValuePair<string, object?>("matter", m.Code))));

    private static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        var text = value.ToString();
        return char.ToLowerInvariant(text[0]) + text[1..];
    }
}

/// <summary>What the gauges show of one hall.</summary>
public sealed record HallGauges(
    IReadOnlyDictionary<string, QueueGauge> Queues,
    IReadOnlyDictionary<WindowState, int> Windows,
    IReadOnlyDictionary<AlertKind, int> OpenAlerts);

/// <summary>One matter's queue for the gauges.</summary>
public sealed record QueueGauge(int Waiting, DateTimeOffset? OldestIssuedAt);
