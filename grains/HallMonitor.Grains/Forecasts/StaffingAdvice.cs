namespace HallMonitor.Grains;

/// <summary>
/// Staffing advice from learnt arrivals: for each coming local hour, each matter's arrival rate (the mean of the same
/// hour on the same weekday over the past weeks, else over every past day, else today's rate so far), its recent
/// handling time, and the fewest windows that call <see cref="HallForecast.Share"/> of its tickets within the wait
/// target by Erlang-C; sectors pool their matters.
/// </summary>
public static class StaffingAdvice
{
    /// <summary>The past weeks arrival rates are learnt from.</summary>
    public const int Weeks = 8;

    /// <summary>The past days a matter's handling time is the mean of (with today's services).</summary>
    public const int HandleDays = 14;

    /// <summary>Today's rate counts at least this long since the hour of the first ticket, so that two early tickets are not a rush.</summary>
    public static readonly TimeSpan ShortestToday = TimeSpan.FromMinutes(30);

    /// <summary>The first service day learnt from for a forecast made on <paramref name="today"/>.</summary>
    public static DateOnly FirstDay(DateOnly today) => today.AddDays(-7 * Weeks);

    /// <summary>The coming hours: the local whole hour that holds <paramref name="now"/> and the ones after it.</summary>
    public static IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> Hours(Hall hall, DateTimeOffset now, int hours)
    {
        var local = hall.LocalTime(now);
        var first = local.AddTicks(-(local.Ticks % TimeSpan.TicksPerHour));
        return [.. Enumerable.Range(0, hours).Select(i => (hall.LocalTime(first.AddHours(i)), hall.LocalTime(first.AddHours(i + 1))))];
    }

    /// <summary>
    /// The forecast at <paramref name="now"/>: <paramref name="past"/> holds the days before today within
    /// <see cref="Weeks"/>, <paramref name="today"/> today's; each matter's line now comes from the hall's prediction,
    /// the windows open now too.
    /// </summary>
    public static HallForecast Build(
        Hall hall, DateTimeOffset now, int hours, IReadOnlyCollection<MatterDay> past, IReadOnlyCollection<MatterDay> today,
        HallPrediction prediction)
    {
        var serviceDay = hall.ServiceDay(now);
        var rates = new ArrivalRates(hall, now, past, today);
        var slots = Hours(hall, now, hours);
        var openWindows = prediction.OpenWindows;
        var predicted = prediction.Matters.ToDictionary(m => m.Matter, StringComparer.Ordinal);

        var matters = new List<(MatterForecast Row, double[] Rates)>();
        foreach (var matter in hall.Matters)
        {
            var (handle, handleBasis) = Handle(matter, serviceDay, past, today);
            var hourRates = slots.Select(s => rates.PerHour(matter.Code, s.From)).ToList();
            var line = predicted.GetValueOrDefault(matter.Code);
            matters.Add((new MatterForecast
            {
                Matter = matter.Code,
                Name = matter.Name,
                Sector = matter.Category,
                Waiting = line?.Waiting ?? 0,
                ServingWindows = line?.ServingWindows ?? 0,
                WaitTargetSeconds = matter.WaitTargetSeconds,
                LastCallAt = line?.LastCallAt,
                PastTarget = line?.PastTarget ?? 0,
                HandleSeconds = Math.Round(handle, 1),
                HandleBasis = handleBasis,
                Staffing = [.. slots.Select((s, i) => Hour(s, hourRates[i], handle, matter.WaitTargetSeconds))],
            }, [.. hourRates.Select(r => r.PerHour)]));
        }

        // A sector, or the whole hall, as one line: its matters' arrivals add up, their handling times weigh by
        // arrivals, and the strictest wait target holds for all of them.
        SectorForecast Pool(string name, IReadOnlyList<(MatterForecast Row, double[] Rates)> pooled)
        {
            var codes = pooled.Select(m => m.Row.Matter).ToList();
            var target = pooled.Min(m => m.Row.WaitTargetSeconds);
            return new SectorForecast
            {
                Sector = name,
                Matters = codes,
                WindowsOpen = openWindows.Count(w => codes.Any(c => hall.Serves(w, c))),
                WaitTargetSeconds = target,
                Waiting = pooled.Sum(m => m.Row.Waiting),
                Staffing = [.. slots.Select((s, i) =>
                {
                    var lambda = pooled.Sum(m => m.Rates[i]);
                    var handle = lambda > 0 ? pooled.Sum(m => m.Rates[i] * m.Row.HandleSeconds) / lambda : pooled.Average(m => m.Row.HandleSeconds);
                    return Hour(s, rates.PerHour(codes[0], s.From) with { PerHour = lambda }, handle, target);
                })],
            };
        }

        return new HallForecast
        {
            Hall = hall.Id,
            At = hall.LocalTime(now),
            Weeks = Weeks,
            Matters = [.. matters.Select(m => m.Row)],
            Sectors = [.. matters.GroupBy(m => m.Row.Sector, StringComparer.Ordinal).Select(sector => Pool(sector.Key, [.. sector]))],
            Pooled = Pool(hall.Name, matters),
        };
    }

    private static StaffingHour Hour((DateTimeOffset From, DateTimeOffset To) slot, Rate rate, double handle, int target) => new()
    {
        From = slot.From,
        To = slot.To,
        ArrivalsPerHour = Math.Round(rate.PerHour, 2),
        HandleSeconds = Math.Round(handle, 1),
        WindowsNeeded = rate.Basis == ArrivalBasis.None ? null : ErlangC.WindowsNeeded(rate.PerHour, handle, target, HallForecast.Share),
        Basis = rate.Basis,
        Days = rate.Days,
    };

    /// <summary>The mean handling time of the matter's services of the recent days and today, else its handle target.</summary>
    private static (double Seconds, HandleBasis Basis) Handle(MatterDefinition matter, DateOnly today, IEnumerable<MatterDay> past, IEnumerable<MatterDay> todays)
    {
        var recent = past.Where(d => d.Day >= today.AddDays(-HandleDays)).Concat(todays).Where(d => d.Matter == matter.Code && d.Handled > 0).ToList();
        var handled = recent.Sum(d => d.Handled);
        return handled == 0 || recent.Sum(d => d.HandleSecondsTotal) <= 0
            ? (matter.HandleTargetSeconds, HandleBasis.Target)
            : (recent.Sum(d => d.HandleSecondsTotal) / handled, HandleBasis.Recent);
    }

    private readonly record struct Rate(double PerHour, ArrivalBasis Basis, int Days);

    /// <summary>
    /// Arrival rates per matter and local hour. Which basis applies is a property of the hall, not of a matter: a past
    /// day counts when the hall issued any ticket on it (a closed day teaches nothing), and a matter nobody came for in
    /// that hour on those days has a rate of 0 on the same basis.
    /// </summary>
    private sealed class ArrivalRates
    {
        private readonly Hall _hall;
        private readonly IReadOnlyList<DateOnly> _openDays;
        private readonly Dictionary<string, List<MatterDay>> _past;
        private readonly Dictionary<string, int> _today;
        private readonly double _todayHours;

        public ArrivalRates(Hall hall, DateTimeOffset now, IReadOnlyCollection<MatterDay> past, IReadOnlyCollection<MatterDay> today)
        {
            _hall = hall;
            _openDays = [.. past.Where(d => d.Issued.Any(n => n > 0)).Select(d => d.Day).Distinct()];
            _past = past.GroupBy(d => d.Matter, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
            _today = today.GroupBy(d => d.Matter, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(d => d.Issued.Sum()), StringComparer.Ordinal);
            var firstHour = Enumerable.Range(0, 24).FirstOrDefault(h => today.Any(d => d.Issued[h] > 0), -1);
            if (firstHour >= 0)
            {
                var since = hall.StartOf(hall.ServiceDay(now)).AddHours(firstHour);
                _todayHours = Math.Max((now - since).TotalHours, ShortestToday.TotalHours);
            }
        }

        public Rate PerHour(string matter, DateTimeOffset hourStart)
        {
            var local = _hall.LocalTime(hourStart);
            var sameWeekday = _openDays.Where(d => d.DayOfWeek == local.DayOfWeek).ToHashSet();
            var days = sameWeekday.Count > 0 ? sameWeekday : _openDays.ToHashSet();
            if (days.Count > 0)
            {
                var arrivals = _past.GetValueOrDefault(matter)?.Where(d => days.Contains(d.Day)).Sum(d => d.Issued[local.Hour]) ?? 0;
                return new Rate((double)arrivals / days.Count, sameWeekday.Count > 0 ? ArrivalBasis.Weekday : ArrivalBasis.AllDays, days.Count);
            }

            return _todayHours > 0
                ? new Rate(_today.GetValueOrDefault(matter) / _todayHours, ArrivalBasis.Today, 1)
                : new Rate(0, ArrivalBasis.None, 0);
        }
    }
}
