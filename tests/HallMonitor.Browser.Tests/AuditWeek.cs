using HallMonitor.Grains;
using HallMonitor.Testing;

namespace HallMonitor.Browser.Tests;

/// <summary>
/// A working week of the xinqu hall (Monday 16 to Friday 20 November 2026), driven through the API minute by
/// minute on a manual clock: kiosks issuing with a morning and an afternoon peak, six windows calling,
/// serving, recalling and marking no-shows, a cancellation and a transfer a day, and visitors rating about
/// two services in three. The clock stays at Friday 17:30, so the hall's "today" is the Friday.
/// </summary>
public sealed class AuditWeek : IAsyncLifetime
{
    public static readonly DateOnly Monday = new(2026, 11, 16);
    public static readonly DateOnly Friday = new(2026, 11, 20);

    /// <summary>Kiosk arrivals per minute in each hour of the day, before the weekday's factor.</summary>
    private static readonly Dictionary<int, double> ArrivalsPerMinute = new()
    {
        [8] = 0.16, [9] = 0.34, [10] = 0.40, [11] = 0.24, [12] = 0.08, [13] = 0.16, [14] = 0.34, [15] = 0.26, [16] = 0.10,
    };

    private static readonly (string Matter, int Weight, int HandleTarget)[] Matters =
    [
        ("TAX-INV", 6, 600), ("BIZ-REG", 5, 1200), ("HH-ID", 4, 600), ("TAX-DECL", 3, 900), ("RE-TRANS", 3, 1800),
        ("SS-CARD", 3, 600), ("CONSULT", 3, 600), ("BIZ-CHG", 2, 900), ("EXIT-PASS", 2, 900), ("HPF-WITHDRAW", 2, 900),
        ("RE-QUERY", 2, 300), ("MED-ENROLL", 1, 600),
    ];

    private static readonly (string Window, string Clerk, string[] Serves)[] Windows =
    [
        ("01", "王芳", ["*"]),
        ("05", "张伟", ["BIZ-REG", "BIZ-CHG", "BIZ-DEREG", "BIZ-IND", "FOOD-LIC"]),
        ("07", "刘洋", ["TAX-INV", "TAX-DECL", "TAX-REG", "TAX-CERT"]),
        ("09", "陈静", ["RE-TRANS", "RE-MORT", "RE-QUERY"]),
        ("11", "赵磊", ["HH-MOVE", "HH-ID", "HH-RES"]),
        ("13", "孙丽", ["MED-ENROLL", "SS-CARD", "SS-TRANSFER"]),
    ];

    private readonly Random _random = new(20261116);

    public AuditWeek()
    {
        Host = new PageHost(Clock);
    }

    public ManualTimeProvider Clock { get; } = new(At(Monday, 8, 0));

    public PageHost Host { get; }

    /// <summary>A ticket that was served, completed and rated.</summary>
    public string RatedTicketId { get; private set; } = "";

    /// <summary>A ticket whose visitor was sent on to another matter.</summary>
    public string TransferredTicketId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        using var api = Host.Api();
        foreach (var (window, clerk, _) in Windows)
        {
            await api.OpenAsync(window, clerk);
        }

        for (var day = Monday; day <= Friday; day = day.AddDays(1))
        {
            await DriveDayAsync(api, day);
        }
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    private static DateTimeOffset At(DateOnly day, int hour, int minute) =>
        new(day.ToDateTime(new TimeOnly(hour, minute)), TimeSpan.FromHours(8));

    private async Task DriveDayAsync(HallApi api, DateOnly day)
    {
        Clock.AdvanceTo(At(day, 8, 30));
        var busyness = day.DayOfWeek switch { DayOfWeek.Monday => 1.3, DayOfWeek.Friday => 0.85, _ => 1.0 };
        var waiting = new List<(string TicketId, string Matter)>();
        var serving = new Dictionary<string, (TicketView Ticket, DateTimeOffset Until, bool Transfer)>();
        var cancelled = false;
        var transferred = false;
        for (var minute = 0; minute < 9 * 60; minute++)
        {
            var now = Clock.GetUtcNow();
            var hour = now.ToOffset(TimeSpan.FromHours(8)).Hour;
            if (hour < 17 && _random.NextDouble() < ArrivalsPerMinute[hour] * busyness)
            {
                var issued = await api.IssueAsync(PickMatter(), priority: _random.Next(25) == 0);
                waiting.Add((issued.TicketId, issued.Matter));
            }

            if (!cancelled && minute == 120 && waiting.Count > 0)
            {
                await api.CancelAsync(waiting[^1].TicketId);
                waiting.RemoveAt(waiting.Count - 1);
                cancelled = true;
            }

            foreach (var (window, (ticket, until, transfer)) in serving.Where(s => s.Value.Until <= now).ToList())
            {
                serving.Remove(window);
                if (transfer)
                {
                    var leg = await api.TransferAsync(window, "TAX-INV");
                    waiting.Add((leg.TicketId, leg.Matter));
                    TransferredTicketId = ticket.TicketId;
                    continue;
                }

                await api.ActAsync(window, "complete");
                if (_random.Next(3) > 0)
                {
                    await api.RateAsync(ticket.TicketId, PickScore());
                    RatedTicketId = ticket.TicketId;
                }
            }

            foreach (var (window, _, serves) in Windows.Where(w => !serving.ContainsKey(w.Window)))
            {
                if (minute >= 8 * 60 + 30 || !waiting.Any(w => serves.Contains("*") || serves.Contains(w.Matter)))
                {
                    continue;
                }

                var called = await api.CallNextAsync(window);
                waiting.RemoveAll(w => w.TicketId == called.TicketId);
                if (_random.Next(10) == 0)
                {
                    await api.ActAsync(window, "recall");
                    await api.ActAsync(window, "no-show");
                    continue;
                }

                await api.ActAsync(window, "start");
                var target = Matters.Single(m => m.Matter == called.Matter).HandleTarget;
                var transfer = !transferred && called.Matter == "BIZ-REG" && hour >= 10;
                transferred |= transfer;
                serving[window] = (called, now.AddSeconds(target * (0.3 + (_random.NextDouble() * 0.95))), transfer);
            }

            Clock.Advance(TimeSpan.FromMinutes(1));
        }

        // Services still running at closing time end; whoever still waits expires at midnight.
        foreach (var (window, _) in serving)
        {
            await api.ActAsync(window, "complete");
        }
    }

    private string PickMatter()
    {
        var roll = _random.Next(Matters.Sum(m => m.Weight));
        foreach (var (matter, weight, _) in Matters)
        {
            roll -= weight;
            if (roll < 0)
            {
                return matter;
            }
        }

        throw new InvalidOperationException("The weights cover every roll.");
    }

    private int PickScore() => _random.Next(100) switch
    {
        < 52 => 5,
        < 82 => 4,
        < 92 => 3,
        < 97 => 2,
        _ => 1,
    };
}
