using System.Globalization;
using HallMonitor.Grains;

namespace HallMonitor.Bench.Reports;

/// <summary>
/// A year of a busy district hall's journal, made up but shaped like the real thing: windows open and close
/// every working day, tickets arrive with morning and afternoon peaks, wait, are served, sometimes missed or
/// cancelled, and often rated. Events are sequenced and hashed exactly as the hall journal does.
/// </summary>
public sealed class YearOfJournal(Hall hall, int ticketsPerDay, int seed)
{
    private readonly Random _random = new(seed);
    private string _prevHash = JournalHash.Genesis;
    private long _seq;

    /// <summary>The journal of the working days from <paramref name="first"/> to <paramref name="last"/>, day by day.</summary>
    public IEnumerable<IReadOnlyList<JournalRecord>> Days(DateOnly first, DateOnly last)
    {
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                yield return Day(day);
            }
        }
    }

    private List<JournalRecord> Day(DateOnly day)
    {
        var events = new List<(DateTimeOffset At, string Actor, HallEvent Event)>();
        var windows = hall.Windows.Select(w => (w.Id, Clerk: $"clerk{w.Id}", FreeAt: At(day, 8, 30))).ToList();
        foreach (var (id, clerk, freeAt) in windows)
        {
            events.Add((freeAt, clerk, new WindowOpened(id, clerk)));
        }

        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var issuedAt in Arrivals(day).Order())
        {
            var matter = hall.Matters[(int)(Math.Pow(_random.NextDouble(), 2) * hall.Matters.Count)];
            numbers[matter.Prefix] = numbers.GetValueOrDefault(matter.Prefix) + 1;
            var number = TicketNumber.Format(matter.Prefix, numbers[matter.Prefix]);
            var ticketId = TicketNumber.TicketId(day, number);
            var priority = _random.Next(20) == 0;
            events.Add((issuedAt, "kiosk", new TicketIssued(ticketId, number, matter.Code, TicketChannel.Kiosk, priority, day)));
            if (_random.Next(50) == 0)
            {
                events.Add((issuedAt.AddMinutes(_random.Next(2, 20)), "visitor", new TicketCancelled(ticketId, number, matter.Code)));
                continue;
            }

            // The first window that serves the matter and is free takes the ticket.
            var serving = windows.Select((w, i) => (w, i)).Where(x => hall.Serves(x.w.Id, matter.Code)).MinBy(x => x.w.FreeAt);
            var calledAt = Max(issuedAt.AddSeconds(20 + _random.Next(0, 120)), serving.w.FreeAt);
            var wait = Math.Round((calledAt - issuedAt).TotalSeconds, 1);
            var (window, windowClerk, _) = serving.w;
            events.Add((calledAt, windowClerk, new TicketCalled(ticketId, number, matter.Code, window, windowClerk, wait, priority, issuedAt, TicketChannel.Kiosk)));
            if (_random.Next(20) == 0)
            {
                var missedAt = calledAt.AddSeconds(90);
                events.Add((missedAt, windowClerk, new TicketNoShow(ticketId, number, matter.Code, window, windowClerk)));
                windows[serving.i] = serving.w with { FreeAt = missedAt };
                continue;
            }

            var startedAt = calledAt.AddSeconds(20 + _random.Next(40));
            var handle = Math.Round(Math.Max(120, matter.HandleTargetSeconds * (0.3 + (_random.NextDouble() * 1.1))), 1);
            var completedAt = startedAt.AddSeconds(handle);
            events.Add((startedAt, windowClerk, new ServiceStarted(ticketId, number, matter.Code, window, windowClerk)));
            events.Add((completedAt, windowClerk, new ServiceCompleted(ticketId, number, matter.Code, window, windowClerk, handle)));
            windows[serving.i] = serving.w with { FreeAt = completedAt };
            if (_random.Next(10) < 6)
            {
                var score = _random.Next(100) switch { < 70 => 5, < 88 => 4, < 95 => 3, < 98 => 2, _ => 1 };
                events.Add((completedAt.AddSeconds(30), "visitor", new TicketRated(ticketId, number, matter.Code, window, windowClerk, score, null)));
            }
        }

        foreach (var (id, clerk, freeAt) in windows)
        {
            events.Add((Max(freeAt, At(day, 17, 30)).AddMinutes(1), clerk, new WindowClosed(id, clerk)));
        }

        return [.. events.OrderBy(e => e.At).Select(e => Record(e.At, e.Actor, e.Event))];
    }

    /// <summary>Arrival times over the day: busiest from 9 to 11 and from 14 to 16, quiet at lunch.</summary>
    private IEnumerable<DateTimeOffset> Arrivals(DateOnly day)
    {
        double[] weights = [0.3, 1.6, 1.5, 1.0, 0.35, 0.5, 1.3, 1.4, 0.6];
        var total = weights.Sum();
        for (var hour = 0; hour < weights.Length; hour++)
        {
            var count = (int)Math.Round(ticketsPerDay * weights[hour] / total);
            for (var i = 0; i < count; i++)
            {
                yield return At(day, 8 + hour, 30).AddSeconds(_random.Next(3600));
            }
        }
    }

    private JournalRecord Record(DateTimeOffset at, string actor, HallEvent hallEvent)
    {
        var type = EventCodec.TypeName(hallEvent);
        var data = EventCodec.Encode(hallEvent);
        var hash = JournalHash.Compute(_prevHash, hall.Id, ++_seq, at, type, actor, data);
        var record = new JournalRecord(hall.Id, _seq, at, type, actor, data, hash, _prevHash) { Event = hallEvent };
        _prevHash = hash;
        return record;
    }

    private DateTimeOffset At(DateOnly day, int hour, int minute) =>
        hall.LocalTime(hall.StartOf(day)).AddHours(hour).AddMinutes(minute);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    public static string Format(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
