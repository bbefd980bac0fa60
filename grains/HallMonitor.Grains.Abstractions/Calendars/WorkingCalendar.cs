using System.Collections.Frozen;

namespace HallMonitor.Grains;

/// <summary>
/// A named working-day calendar: for each year it covers, the public holidays (放假) and the make-up working days
/// (调休上班) that fall on weekends; Monday to Friday otherwise. A day in a year it does not cover is refused with
/// <see cref="CalendarYearNotCoveredException"/>, never guessed. Immutable.
/// </summary>
public sealed class WorkingCalendar
{
    /// <summary>Keyed by year; null for <see cref="MondayToFriday"/>, which covers every year.</summary>
    private readonly FrozenDictionary<int, WorkingYear>? _years;

    private WorkingCalendar()
    {
        Name = "monday-to-friday";
        Years = [];
    }

    public WorkingCalendar(string name, string? source, IEnumerable<WorkingYear> years)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(years);
        Name = name;
        Source = source;
        _years = years.ToFrozenDictionary(y => y.Year);
        Years = [.. _years.Keys.Order()];
    }

    /// <summary>The calendar of a hall that names none: Monday to Friday, every year.</summary>
    public static WorkingCalendar MondayToFriday { get; } = new();

    public string Name { get; }

    /// <summary>Where the arrangement comes from (the official notices).</summary>
    public string? Source { get; }

    /// <summary>The years covered, in order; empty for <see cref="MondayToFriday"/>, which covers every year.</summary>
    public IReadOnlyList<int> Years { get; }

    public bool Covers(int year) => _years is null || _years.ContainsKey(year);

    public bool IsWorkingDay(DateOnly day)
    {
        if (_years is null)
        {
            return !IsWeekend(day);
        }

        if (!_years.TryGetValue(day.Year, out var year))
        {
            throw new CalendarYearNotCoveredException(Name, day.Year, Years);
        }

        return year.Workdays.Contains(day) || (!IsWeekend(day) && !year.Holidays.Contains(day));
    }

    /// <summary>The <paramref name="workingDays"/>th working day after <paramref name="from"/>, which is not counted; 0 gives <paramref name="from"/>.</summary>
    public DateOnly AddWorkingDays(DateOnly from, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workingDays);
        var day = from;
        while (workingDays > 0)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day))
            {
                workingDays--;
            }
        }

        return day;
    }

    /// <summary>The working days after <paramref name="fromExclusive"/> up to and including <paramref name="toInclusive"/>.</summary>
    public int WorkingDaysBetween(DateOnly fromExclusive, DateOnly toInclusive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(toInclusive, fromExclusive);
        var count = 0;
        for (var day = fromExclusive.AddDays(1); day <= toInclusive; day = day.AddDays(1))
        {
            if (IsWorkingDay(day))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// The last day of a time limit: the <paramref name="workingDays"/>th working day after the acceptance day, moved
    /// by the working days the case spent awaiting materials. The deadline is the end of that day.
    /// </summary>
    public DateOnly DeadlineDay(DateOnly acceptanceDay, int workingDays, int pausedWorkingDays = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pausedWorkingDays);
        return AddWorkingDays(acceptanceDay, workingDays + pausedWorkingDays);
    }

    internal static bool IsWeekend(DateOnly day) => day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
}

/// <summary>One year of a <see cref="WorkingCalendar"/>: its holidays and its make-up working days on weekends.</summary>
public sealed class WorkingYear
{
    public WorkingYear(int year, IEnumerable<DateOnly> holidays, IEnumerable<DateOnly> workdays)
    {
        Year = year;
        Holidays = holidays.ToFrozenSet();
        Workdays = workdays.ToFrozenSet();

        // The calendar file is checked with every problem named before it gets here; these guard the type itself.
        if (Holidays.Concat(Workdays).Where(d => d.Year != year).Select(d => (DateOnly?)d).FirstOrDefault() is { } outside)
        {
            throw new ArgumentException($"{outside:yyyy-MM-dd} is not in {year}.");
        }

        foreach (var day in Workdays)
        {
            if (!WorkingCalendar.IsWeekend(day))
            {
                throw new ArgumentException($"The make-up working day {day:yyyy-MM-dd} is not on a weekend.", nameof(workdays));
            }

            if (Holidays.Contains(day))
            {
                throw new ArgumentException($"{day:yyyy-MM-dd} is both a holiday and a working day.", nameof(workdays));
            }
        }
    }

    public int Year { get; }

    /// <summary>Days off (放假), on weekdays or weekends.</summary>
    public IReadOnlySet<DateOnly> Holidays { get; }

    /// <summary>Weekend days that are working days (调休上班).</summary>
    public IReadOnlySet<DateOnly> Workdays { get; }
}
