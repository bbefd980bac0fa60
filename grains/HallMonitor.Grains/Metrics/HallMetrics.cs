using System.Collections.Concurrent;
using System.Globalization;
using Prometheus;

namespace HallMonitor.Grains;

/// <summary>
/// The hall's Prometheus metrics (prometheus-net) in the host's registry. Counters and histograms are fed by
/// the hall projection with every live journal event; gauges are read from the picture the hall grain
/// publishes after each batch, when scraped. Every hall and matter has its series from the start, at zero.
/// Labels are bounded: hall, matter, outcome, state, kind, level, score — never a ticket or a clerk.
/// </summary>
public sealed class HallMetrics
{
    /// <summary>Waits and services last minutes, not milliseconds: buckets from 30 s to 2 h.</summary>
    private static readonly double[] DurationBuckets = [30, 60, 120, 300, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200];
    private static readonly double[] AppendBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
    private static readonly string[] Outcomes = ["completed", "no_show", "cancelled", "transferred", "expired"];

    private readonly HallCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, HallGauges> _gauges = new(StringComparer.Ordinal);

    // Label names in alphabetical order, the order in which they appear on each sample.
    private readonly Counter _issued;
    private readonly Counter _finished;
    private readonly Counter _alertsRaised;
    private readonly Counter _ratings;
    private readonly Histogram _wait;
    private readonly Histogram _handle;
    private readonly Histogram _journalAppend;
    private readonly Gauge _waiting;
    private readonly Gauge _oldestWait;
    private readonly Gauge _windows;
    private readonly Gauge _alertsOpen;
    private readonly Gauge _journalVerified;
    private readonly Gauge _casesOpen;
    private readonly Counter _casesFinished;

    public HallMetrics(CollectorRegistry registry, HallCatalog catalog, TimeProvider time)
    {
        _catalog = catalog;
        _time = time;
        var metrics = Metrics.WithCustomRegistry(registry);
        _issued = metrics.CreateCounter("hallmonitor_tickets_issued_total", "Tickets issued (取号), new legs of transfers included.", ["hall", "matter"]);
        _finished = metrics.CreateCounter("hallmonitor_tickets_finished_total", "Tickets that reached an end: completed, no_show, cancelled, transferred or expired.", ["hall", "matter", "outcome"]);
        _alertsRaised = metrics.CreateCounter("hallmonitor_alerts_raised_total", "Overtime alerts (超时预警) reaching a level: warning when raised, overtime when escalated or raised red.", ["hall", "kind", "level", "matter"]);
        _ratings = metrics.CreateCounter("hallmonitor_ratings_total", "Service ratings (好差评) by score, 5 非常满意 to 1 非常不满意.", ["hall", "matter", "score"]);
        _wait = metrics.CreateHistogram("hallmonitor_ticket_wait_seconds", "Waiting time from ticket to first call.", ["hall", "matter"],
            new HistogramConfiguration { Buckets = DurationBuckets });
        _handle = metrics.CreateHistogram("hallmonitor_ticket_handle_seconds", "Handling time from start of service to completion or transfer.", ["hall", "matter"],
            new HistogramConfiguration { Buckets = DurationBuckets });
        _journalAppend = metrics.CreateHistogram("hallmonitor_journal_append_seconds", "Time from sequencing journal events to their durable commit.", ["hall"],
            new HistogramConfiguration { Buckets = AppendBuckets });

        _waiting = metrics.CreateGauge("hallmonitor_queue_waiting", "Tickets waiting per matter.", ["hall", "matter"]);
        _oldestWait = metrics.CreateGauge("hallmonitor_queue_oldest_wait_seconds", "How long the longest-waiting ticket of the matter has waited; 0 when none waits.", ["hall", "matter"]);
        _windows = metrics.CreateGauge("hallmonitor_windows", "Windows per state.", ["hall", "state"]);
        _alertsOpen = metrics.CreateGauge("hallmonitor_alerts_open", "Open overtime alerts per kind.", ["hall", "kind"]);
        _journalVerified = metrics.CreateGauge("hallmonitor_journal_verified", "Whether the hall's journal chain verified at its last check (at start-up, then on request): 1 intact, 0 broken.", ["hall"]);
        _casesOpen = metrics.CreateGauge("hallmonitor_cases_open", "Undecided cases (办件) per matter and level: ok, yellow (promised deadline within a working day), red (passed), statutoryRed.", ["hall", "level", "matter"]);
        _casesFinished = metrics.CreateCounter("hallmonitor_cases_finished_total", "Cases decided (办结), on time or not by their promised deadline.", ["hall", "matter", "on_time"]);
        var waitTarget = metrics.CreateGauge("hallmonitor_queue_wait_target_seconds", "The matter's wait target (configuration), for alerting rules.", ["hall", "matter"]);
        var backlogThreshold = metrics.CreateGauge("hallmonitor_hall_backlog_threshold", "The hall's backlog threshold (configuration), for alerting rules.", ["hall"]);

        foreach (var hall in catalog.Halls)
        {
            backlogThreshold.WithLabels(hall.Id).Set(hall.Definition.BacklogThreshold);
            foreach (var matter in hall.Matters)
            {
                waitTarget.WithLabels(hall.Id, matter.Code).Set(matter.WaitTargetSeconds);
            }
        }

        Seed();
        registry.AddBeforeCollectCallback(Observe);
    }

    /// <summary>Counts one live journal event.</summary>
    public void Count(string hallId, JournalRecord record)
    {
        switch (record.Event)
        {
            case TicketIssued e:
                _issued.WithLabels(hallId, e.Matter).Inc();
                break;
            case TicketCalled e:
                _wait.WithLabels(hallId, e.Matter).Observe(e.WaitSeconds);
                break;
            case ServiceCompleted e:
                _handle.WithLabels(hallId, e.Matter).Observe(e.HandleSeconds);
                _finished.WithLabels(hallId, e.Matter, "completed").Inc();
                break;
            case TicketTransferred e:
                _handle.WithLabels(hallId, e.Matter).Observe(e.HandleSeconds);
                _finished.WithLabels(hallId, e.Matter, "transferred").Inc();
                break;
            case TicketNoShow e:
                _finished.WithLabels(hallId, e.Matter, "no_show").Inc();
                break;
            case TicketCancelled e:
                _finished.WithLabels(hallId, e.Matter, "cancelled").Inc();
                break;
            case TicketExpired e:
                _finished.WithLabels(hallId, e.Matter, "expired").Inc();
                break;
            case TicketRated e:
                _ratings.WithLabels(hallId, e.Matter, e.Score.ToString(CultureInfo.InvariantCulture)).Inc();
                break;
            case AlertRaised { Alert: var alert }:
                AlertReached(hallId, alert, AlertLevel.Warning);
                if (alert.Level == AlertLevel.Overtime)
                {
                    AlertReached(hallId, alert, AlertLevel.Overtime);
                }

                break;
            case AlertEscalated { Alert: var alert }:
                AlertReached(hallId, alert, AlertLevel.Overtime);
                break;
            case CaseStepped { Step: CaseStep.Decide } e:
                _casesFinished.WithLabels(hallId, e.Matter, record.At <= e.PromisedDue ? "true" : "false").Inc();
                break;
        }
    }

    /// <summary>How long a journal append took from sequencing to durable commit.</summary>
    public void RecordJournalAppend(string hallId, TimeSpan elapsed) => _journalAppend.WithLabels(hallId).Observe(elapsed.TotalSeconds);

    /// <summary>The outcome of the latest verification of a hall's journal; no series before the first one.</summary>
    public void JournalVerified(string hallId, bool ok) => _journalVerified.WithLabels(hallId).Set(ok ? 1 : 0);

    /// <summary>The hall's live picture for the gauges, as of its latest applied event.</summary>
    public void Publish(string hallId, HallGauges gauges) => _gauges[hallId] = gauges;

    /// <summary>
    /// The hall left this silo (a rolling update, a rebalance): its gauges here read zero again, so that summed over
    /// the silos of a cluster they count the hall once, where it is active now.
    /// </summary>
    public void Forget(string hallId) => _gauges.TryRemove(hallId, out _);

    private void AlertReached(string hallId, AlertView alert, AlertLevel level) =>
        _alertsRaised.WithLabels(hallId, Name(alert.Kind), Name(level), alert.Matter).Inc();

    /// <summary>Creates every series of the counters and histograms, so that they exist at zero from start-up.</summary>
    private void Seed()
    {
        foreach (var hall in _catalog.Halls)
        {
            _journalAppend.WithLabels(hall.Id);
            foreach (var matter in hall.Matters)
            {
                _issued.WithLabels(hall.Id, matter.Code);
                _wait.WithLabels(hall.Id, matter.Code);
                _handle.WithLabels(hall.Id, matter.Code);
                foreach (var outcome in Outcomes)
                {
                    _finished.WithLabels(hall.Id, matter.Code, outcome);
                }

                foreach (var kind in Enum.GetValues<AlertKind>())
                {
                    foreach (var level in Enum.GetValues<AlertLevel>())
                    {
                        _alertsRaised.WithLabels(hall.Id, Name(kind), Name(level), matter.Code);
                    }
                }

                for (var score = 1; score <= 5; score++)
                {
                    _ratings.WithLabels(hall.Id, matter.Code, score.ToString(CultureInfo.InvariantCulture));
                }

                if (matter.PromisedDays is not null)
                {
                    _casesFinished.WithLabels(hall.Id, matter.Code, "true");
                    _casesFinished.WithLabels(hall.Id, matter.Code, "false");
                }
            }
        }
    }

    /// <summary>Sets the gauges from the halls' latest pictures, before each scrape.</summary>
    private void Observe()
    {
        var now = _time.GetUtcNow();
        foreach (var hall in _catalog.Halls)
        {
            var gauges = _gauges.GetValueOrDefault(hall.Id);
            foreach (var matter in hall.Matters)
            {
                var queue = gauges?.Queues.GetValueOrDefault(matter.Code);
                _waiting.WithLabels(hall.Id, matter.Code).Set(queue?.Waiting ?? 0);
                _oldestWait.WithLabels(hall.Id, matter.Code).Set(queue?.OldestIssuedAt is { } oldest ? Math.Max(0, (now - oldest).TotalSeconds) : 0);
            }

            foreach (var state in Enum.GetValues<WindowState>())
            {
                _windows.WithLabels(hall.Id, Name(state)).Set(
                    gauges is not null ? gauges.Windows.GetValueOrDefault(state) : state == WindowState.Closed ? hall.Windows.Count : 0);
            }

            foreach (var kind in Enum.GetValues<AlertKind>())
            {
                _alertsOpen.WithLabels(hall.Id, Name(kind)).Set(gauges?.OpenAlerts.GetValueOrDefault(kind) ?? 0);
            }

            // Only the matters that open cases have these series, from the start at zero.
            var levels = (gauges?.OpenCases ?? [])
                .GroupBy(c => (c.Matter, Level: CaseClock.Level(hall, c.PromisedDue, c.StatutoryDue, c.PausedSince ?? now)))
                .ToDictionary(g => g.Key, g => g.Count());
            foreach (var matter in hall.Matters.Where(m => m.PromisedDays is not null))
            {
                foreach (var level in Enum.GetValues<CaseLevel>())
                {
                    _casesOpen.WithLabels(hall.Id, Name(level), matter.Code).Set(levels.GetValueOrDefault((matter.Code, level)));
                }
            }
        }
    }

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
    IReadOnlyDictionary<AlertKind, int> OpenAlerts,
    IReadOnlyList<CaseGauge> OpenCases);

/// <summary>An undecided case for the gauges: its level is judged when scraped, at <see cref="PausedSince"/> while it is paused.</summary>
public sealed record CaseGauge(string Matter, DateTimeOffset PromisedDue, DateTimeOffset? StatutoryDue, DateTimeOffset? PausedSince);

/// <summary>One matter's queue for the gauges.</summary>
public sealed record QueueGauge(int Waiting, DateTimeOffset? OldestIssuedAt);
