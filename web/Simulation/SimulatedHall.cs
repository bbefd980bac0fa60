using System.Net;
using System.Text.Json;
using HallMonitor.Grains;

namespace HallMonitor.Web;

/// <summary>One hall's visitors and clerks during the simulated service day, in its local time.</summary>
internal sealed class SimulatedHall
{
    private static readonly TimeOnly LastArrival = new(16, 30);
    private static readonly TimeOnly Closing = new(17, 0);
    private static readonly TimeOnly LastCall = new(18, 0);

    private readonly Hall _hall;
    private readonly SimulatedApi _api;
    private readonly Random _random;
    private readonly List<SimulatedWindow> _windows;
    private readonly (string Code, double Weight)[] _matterWeights;
    private readonly double _totalWeight;
    private readonly List<PendingStep> _cases = [];

    /// <summary>The tickets this simulator believes wait, per matter: those it issued or transferred and no window called yet.</summary>
    private readonly Dictionary<string, int> _waiting = new(StringComparer.Ordinal);

    public SimulatedHall(Hall hall, SimulatedApi api, Random random)
    {
        _hall = hall;
        _api = api;
        _random = random;
        _windows = hall.Windows.Select(w => new SimulatedWindow(w.Id, Breaks())).ToList();

        // A few hot matters (three in ten, at least one) draw five times the visitors of the others.
        var hot = hall.Matters.OrderBy(_ => random.Next()).Take(Math.Max(1, hall.Matters.Count * 3 / 10)).Select(m => m.Code).ToHashSet();
        _matterWeights = hall.Matters.Select(m => (m.Code, hot.Contains(m.Code) ? 5.0 : 1.0)).ToArray();
        _totalWeight = _matterWeights.Sum(m => m.Weight);
    }

    /// <summary>Tickets the simulator has taken in this hall.</summary>
    public int Issued { get; private set; }

    /// <summary>Moves the hall on to <paramref name="now"/>, <paramref name="elapsed"/> after the last step; false once every window has closed for the day.</summary>
    public async Task<bool> StepAsync(DateTimeOffset now, TimeSpan elapsed, CancellationToken cancellationToken)
    {
        var local = TimeOnly.FromDateTime(_hall.LocalTime(now).DateTime);
        if (local >= SimulationHostingExtensions.Opening && local < LastArrival)
        {
            var arrivals = Poisson(ArrivalsPerHour(local) * elapsed.TotalHours);
            for (var i = 0; i < arrivals; i++)
            {
                await ArriveAsync(cancellationToken);
            }
        }

        foreach (var window in _windows)
        {
            await StepWindowAsync(window, now, local, cancellationToken);
        }

        await StepCasesAsync(now, cancellationToken);
        return _windows.Any(w => w.State != Activity.Closed || !w.OpenedToday);
    }

    /// <summary>
    /// 2.4 visitors an hour per window, more at the morning and afternoon peaks, fewer at lunch: a busy hall whose peaks
    /// outrun its windows for a while (a window serves about three an hour), not one that is behind all day.
    /// </summary>
    private double ArrivalsPerHour(TimeOnly local)
    {
        var shape = local.Hour switch
        {
            9 or 10 => 1.6,
            12 => 0.5,
            14 or 15 => 1.4,
            _ => 1.0,
        };
        return 2.4 * _windows.Count * shape;
    }

    private async Task ArriveAsync(CancellationToken cancellationToken)
    {
        var matter = PickMatter();
        var priority = _random.NextDouble() < 0.05;
        var channel = _random.NextDouble() < 0.2 ? "online" : "kiosk";
        if (await _api.PostAsync("tickets", new { matter, channel, priority }, cancellationToken) is not null)
        {
            Issued++;
            _waiting[matter] = _waiting.GetValueOrDefault(matter) + 1;
        }
    }

    private async Task StepWindowAsync(SimulatedWindow window, DateTimeOffset now, TimeOnly local, CancellationToken cancellationToken)
    {
        var path = $"windows/{Uri.EscapeDataString(window.Id)}";
        switch (window.State)
        {
            case Activity.Closed when !window.OpenedToday && local >= SimulationHostingExtensions.Opening && local < Closing:
                // 409: the window is open already (an earlier run of a load driver); the clerk takes it over.
                if (await _api.PostAsync($"{path}/open", new { clerk = $"sim{window.Id}" }, cancellationToken) is not null
                    || _api.LastStatus == HttpStatusCode.Conflict)
                {
                    window.OpenedToday = true;
                    window.State = Activity.Idle;
                }

                break;

            case Activity.Idle when window.Breaks.Count > 0 && local >= window.Breaks.Peek().At && local < Closing:
                var (_, length) = window.Breaks.Dequeue();
                if (await _api.PostAsync($"{path}/pause", null, cancellationToken) is not null)
                {
                    window.State = Activity.Paused;
                    window.Until = now + length;
                }

                break;

            // A refused call-next (the window holds a ticket from an earlier run, say) is tried again a minute or two later.
            case Activity.Idle when now < window.RetryAt:
                break;

            // A clerk calls when the queue display shows someone waiting for the window's matters, glances at it every
            // minute or two otherwise (tickets others issued), and tries once more before closing.
            case Activity.Idle when local < Closing && now < window.NextGlance && !WaitingFor(window.Id):
                break;

            case Activity.Idle:
                var called = local < LastCall ? await _api.PostAsync($"{path}/call-next", null, cancellationToken) : default(JsonElement);
                if (called is { ValueKind: JsonValueKind.Object } ticket)
                {
                    window.Ticket = ticket.GetProperty("ticketId").GetString();
                    window.Matter = ticket.GetProperty("matter").GetString();
                    _waiting[window.Matter!] = Math.Max(0, _waiting.GetValueOrDefault(window.Matter!) - 1);
                    window.CalledAt = now;
                    window.ShowsUp = _random.NextDouble() >= 0.06;
                    window.Recall = !window.ShowsUp || _random.NextDouble() < 0.1;
                    window.Until = now + (window.Recall ? TimeSpan.FromMinutes(3) : Minutes(0.5, 2));
                    window.State = Activity.Called;
                }
                else if (called is null && _api.LastStatus == HttpStatusCode.Conflict
                    && await _api.GetAsync(path, "window", cancellationToken) is { ValueKind: JsonValueKind.Object } held)
                {
                    TakeOver(window, held, now);
                }
                else if (called is null)
                {
                    window.RetryAt = now + Minutes(1, 2);
                }
                else if (called is { ValueKind: JsonValueKind.Undefined })
                {
                    // 204: nobody waits for this window's matters, whatever this simulator believed.
                    ForgetWaiting(window.Id);
                    window.NextGlance = now + Minutes(1, 2);
                }

                if (called is { ValueKind: JsonValueKind.Undefined } && local >= Closing)
                {
                    if (await _api.PostAsync($"{path}/close", null, cancellationToken) is not null)
                    {
                        window.State = Activity.Closed;
                    }
                }

                break;

            case Activity.Called when window.Recall && now >= window.CalledAt + TimeSpan.FromMinutes(2):
                window.Recall = false;
                await _api.PostAsync($"{path}/recall", null, cancellationToken);
                break;

            case Activity.Called when now >= window.Until && !window.ShowsUp:
                await _api.PostAsync($"{path}/no-show", null, cancellationToken);
                window.State = Activity.Idle;
                break;

            case Activity.Called when now >= window.Until:
                await _api.PostAsync($"{path}/start", null, cancellationToken);
                window.State = Activity.Serving;
                window.Until = now + HandlingTime(window.Matter!);
                break;

            case Activity.Serving when now >= window.Until:
                await FinishAsync(window, path, now, cancellationToken);
                window.State = Activity.Idle;
                break;

            case Activity.Paused when now >= window.Until:
                if (await _api.PostAsync($"{path}/resume", null, cancellationToken) is not null)
                {
                    window.State = Activity.Idle;
                }

                break;
        }
    }

    /// <summary>Transfers one visitor in twenty-five to another matter; completes and, often, rates the others.</summary>
    private async Task FinishAsync(SimulatedWindow window, string path, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_random.NextDouble() < 0.04 && _hall.Matters.Count > 1)
        {
            var matter = PickMatter();
            if (matter != window.Matter)
            {
                if (await _api.PostAsync($"{path}/transfer", new { matter }, cancellationToken) is not null)
                {
                    _waiting[matter] = _waiting.GetValueOrDefault(matter) + 1;
                }

                return;
            }
        }

        var completed = await _api.PostAsync($"{path}/complete", null, cancellationToken);
        if (completed is { ValueKind: JsonValueKind.Object } ticket && ticket.TryGetProperty("caseId", out var caseId) && caseId.GetString() is { } id)
        {
            _cases.Add(new PendingStep(id, 0, now + Minutes(5, 30)));
        }

        if (_random.NextDouble() < 0.6)
        {
            var score = _random.NextDouble() switch
            {
                < 0.03 => 1,
                < 0.08 => 2,
                < 0.15 => 3,
                < 0.40 => 4,
                _ => 5,
            };
            var comment = score <= 2 ? "等待时间太长" : null;
            await _api.PostAsync($"tickets/{Uri.EscapeDataString(window.Ticket!)}/rating", new { score, comment }, cancellationToken);
        }
    }

    /// <summary>Cases go on to review and a decision; about half are also delivered.</summary>
    private async Task StepCasesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        string[] steps = ["review", "decide", "deliver"];
        for (var i = _cases.Count - 1; i >= 0; i--)
        {
            var pending = _cases[i];
            if (now < pending.At)
            {
                continue;
            }

            await _api.PostAsync($"cases/{Uri.EscapeDataString(pending.CaseId)}/steps", new { step = steps[pending.Next], by = "sim" }, cancellationToken);
            var next = pending.Next + 1;
            if (next == steps.Length || (next == 2 && _random.NextDouble() < 0.5))
            {
                _cases.RemoveAt(i);
            }
            else
            {
                _cases[i] = pending with { Next = next, At = now + Minutes(10, 60) };
            }
        }
    }

    /// <summary>
    /// A window refused call-next because it is still busy from an earlier session (a load driver run before): the
    /// clerk goes on from its state — serves the called ticket, completes the one in service, resumes after a pause.
    /// </summary>
    private void TakeOver(SimulatedWindow window, JsonElement held, DateTimeOffset now)
    {
        var ticket = held.TryGetProperty("ticket", out var t) && t.ValueKind == JsonValueKind.Object ? t : default;
        window.Ticket = ticket.ValueKind == JsonValueKind.Object ? ticket.GetProperty("ticketId").GetString() : null;
        window.Matter = ticket.ValueKind == JsonValueKind.Object ? ticket.GetProperty("matter").GetString() : null;
        window.CalledAt = now - TimeSpan.FromMinutes(5);
        window.ShowsUp = true;
        window.Recall = false;
        window.Until = now;
        window.State = held.GetProperty("state").GetString() switch
        {
            "calling" when window.Ticket is not null => Activity.Called,
            "serving" when window.Ticket is not null => Activity.Serving,
            "paused" => Activity.Paused,
            _ => Activity.Idle,
        };
        if (window.State == Activity.Idle)
        {
            window.RetryAt = now + Minutes(1, 2);
        }
    }

    private bool WaitingFor(string windowId) => _hall.ServedMatters(windowId) is { } served
        ? served.Any(m => _waiting.GetValueOrDefault(m) > 0)
        : _waiting.Values.Any(w => w > 0);

    private void ForgetWaiting(string windowId)
    {
        foreach (var matter in _hall.ServedMatters(windowId) ?? (IEnumerable<string>)[.. _waiting.Keys])
        {
            _waiting.Remove(matter);
        }
    }

    /// <summary>Log-normal around the matter's handle target: the median a little under it, a long tail above.</summary>
    private TimeSpan HandlingTime(string matter)
    {
        var target = _hall.TryGetMatter(matter, out var definition) ? definition.HandleTargetSeconds : 600;
        var normal = Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
        var seconds = Math.Exp(Math.Log(target * 0.8) + 0.45 * normal);
        return TimeSpan.FromSeconds(Math.Clamp(seconds, 60, target * 4));
    }

    private string PickMatter()
    {
        var pick = _random.NextDouble() * _totalWeight;
        foreach (var (code, weight) in _matterWeights)
        {
            pick -= weight;
            if (pick < 0)
            {
                return code;
            }
        }

        return _matterWeights[^1].Code;
    }

    private int Poisson(double mean)
    {
        var limit = Math.Exp(-mean);
        var count = 0;
        for (var product = _random.NextDouble(); product > limit; product *= _random.NextDouble())
        {
            count++;
        }

        return count;
    }

    private TimeSpan Minutes(double from, double to) => TimeSpan.FromMinutes(from + (_random.NextDouble() * (to - from)));

    /// <summary>A short break in the morning and one in the afternoon; half the windows also pause for lunch.</summary>
    private Queue<(TimeOnly At, TimeSpan Length)> Breaks()
    {
        var breaks = new Queue<(TimeOnly, TimeSpan)>();
        breaks.Enqueue((new TimeOnly(10, 0).Add(Minutes(0, 90)), Minutes(10, 20)));
        if (_random.NextDouble() < 0.5)
        {
            breaks.Enqueue((new TimeOnly(12, 0).Add(Minutes(0, 15)), Minutes(40, 60)));
        }

        breaks.Enqueue((new TimeOnly(14, 30).Add(Minutes(0, 90)), Minutes(10, 20)));
        return breaks;
    }

    private enum Activity
    {
        Closed,
        Idle,
        Called,
        Serving,
        Paused,
    }

    private sealed class SimulatedWindow(string id, Queue<(TimeOnly At, TimeSpan Length)> breaks)
    {
        public string Id { get; } = id;

        public Queue<(TimeOnly At, TimeSpan Length)> Breaks { get; } = breaks;

        public Activity State { get; set; }

        public bool OpenedToday { get; set; }

        public string? Ticket { get; set; }

        public string? Matter { get; set; }

        public DateTimeOffset CalledAt { get; set; }

        public DateTimeOffset Until { get; set; }

        /// <summary>When a clerk whose call-next was refused tries again.</summary>
        public DateTimeOffset RetryAt { get; set; }

        /// <summary>When an idle clerk who saw nobody waiting looks at the queue display again.</summary>
        public DateTimeOffset NextGlance { get; set; }

        public bool ShowsUp { get; set; }

        public bool Recall { get; set; }
    }

    private sealed record PendingStep(string CaseId, int Next, DateTimeOffset At);
}
