using System.Globalization;
using System.Net;
using HallMonitor.Web;

namespace HallMonitor.Bench.Simulate;

/// <summary>
/// Everything the load driver's calls answered, per hall: how many of each action succeeded or were refused with
/// which status, and how long each took. Called from every hall's task at once.
/// </summary>
public sealed class LoadRecorder
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, HallTally> _halls = new(StringComparer.Ordinal);
    private readonly HallTally _total = new();
    private List<double> _recentMilliseconds = [];

    public void Record(SimulatedCall call)
    {
        var milliseconds = call.Latency.TotalMilliseconds;
        lock (_gate)
        {
            if (!_halls.TryGetValue(call.Hall, out var hall))
            {
                _halls[call.Hall] = hall = new HallTally();
            }

            hall.Add(call.Action, call.Status, milliseconds);
            _total.Add(call.Action, call.Status, milliseconds);
            _recentMilliseconds.Add(milliseconds);
        }
    }

    /// <summary>The totals so far and the latencies (ms) of the calls answered since the last call.</summary>
    public (Outcomes Total, long Requests, long Errors, List<double> RecentMilliseconds) TakeProgress()
    {
        lock (_gate)
        {
            var recent = _recentMilliseconds;
            _recentMilliseconds = [];
            return (_total.Outcomes(), _total.Requests, _total.Errors, recent);
        }
    }

    /// <summary>A copy of each hall's tally, in the order given, and of the total.</summary>
    public (IReadOnlyList<(string Hall, HallTally Tally)> Halls, HallTally Total) Snapshot(IEnumerable<string> order)
    {
        lock (_gate)
        {
            return ([.. order.Select(h => (h, _halls.TryGetValue(h, out var t) ? t.Copy() : new HallTally()))], _total.Copy());
        }
    }

    /// <summary>What a share of sorted values is, e.g. 0.99 for p99 (nearest rank).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double share) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(share * sorted.Count) - 1, 0, sorted.Count - 1)];
}

/// <summary>What the calls of the day achieved: each counts the successful answers of one action.</summary>
public sealed record Outcomes(long Issued, long Called, long Recalled, long Started, long Served, long NoShows, long Transfers, long Ratings, long CaseSteps);

/// <summary>One hall's calls: answers by action and status (0: no answer at all), and their latencies.</summary>
public sealed class HallTally
{
    private readonly Dictionary<(string Action, int Status), long> _answers = [];
    private readonly List<double> _milliseconds = [];

    public long Requests => _milliseconds.Count;

    /// <summary>Calls refused (a status outside 2xx) or left without an answer.</summary>
    public long Errors => _answers.Where(a => !IsSuccess(a.Key.Status)).Sum(a => a.Value);

    public IReadOnlyDictionary<(string Action, int Status), long> Answers => _answers;

    public IReadOnlyList<double> Milliseconds => _milliseconds;

    public void Add(string action, HttpStatusCode? status, double milliseconds)
    {
        var key = (action, (int)(status ?? 0));
        _answers[key] = _answers.GetValueOrDefault(key) + 1;
        _milliseconds.Add(milliseconds);
    }

    /// <summary>Successful answers per action; a call-next that found nobody (204) called no one.</summary>
    public Outcomes Outcomes() => new(
        Succeeded("issue"),
        _answers.GetValueOrDefault(("call-next", 200)),
        Succeeded("recall"),
        Succeeded("start"),
        Succeeded("complete"),
        Succeeded("no-show"),
        Succeeded("transfer"),
        Succeeded("rating"),
        Succeeded("steps"));

    /// <summary>Answers by status over every action, e.g. <c>200: 1,234</c>; 0 is "no answer".</summary>
    public IEnumerable<(int Status, long Count)> ByStatus() =>
        _answers.GroupBy(a => a.Key.Status).Select(g => (g.Key, g.Sum(a => a.Value))).OrderBy(s => s.Key);

    /// <summary>The refusals and calls without an answer, by action and status, the most frequent first.</summary>
    public IEnumerable<(string Action, int Status, long Count)> Refusals() =>
        _answers.Where(a => !IsSuccess(a.Key.Status)).Select(a => (a.Key.Action, a.Key.Status, a.Value)).OrderByDescending(r => r.Value);

    public HallTally Copy()
    {
        var copy = new HallTally();
        foreach (var (key, count) in _answers)
        {
            copy._answers[key] = count;
        }

        copy._milliseconds.AddRange(_milliseconds);
        return copy;
    }

    public static string StatusName(int status) => status == 0 ? "no answer" : status.ToString(CultureInfo.InvariantCulture);

    private long Succeeded(string action) => _answers.Where(a => a.Key.Action == action && IsSuccess(a.Key.Status)).Sum(a => a.Value);

    private static bool IsSuccess(int status) => status is >= 200 and < 300;
}
