using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HallMonitor.Grains;

/// <summary>A working-day calendar file, <c>calendars/{name}.json</c> next to the halls file, as written.</summary>
public sealed record WorkingCalendarFile
{
    /// <summary>The calendar's name, the same as the file's.</summary>
    public string? Name { get; init; }

    /// <summary>Where the arrangement comes from.</summary>
    public string? Source { get; init; }

    /// <summary>The covered years, keyed by the year ("2026").</summary>
    public IReadOnlyDictionary<string, WorkingYearDefinition?>? Years { get; init; }
}

/// <summary>One year of a calendar file: dates as <c>yyyy-MM-dd</c>.</summary>
public sealed record WorkingYearDefinition
{
    /// <summary>The official notice of this year's arrangement (title, document number, address).</summary>
    public string? Source { get; init; }

    /// <summary>Days off (放假), weekdays or weekends.</summary>
    public IReadOnlyList<string?>? Holidays { get; init; }

    /// <summary>Weekend days worked to make up for the holidays (调休上班).</summary>
    public IReadOnlyList<string?>? Workdays { get; init; }
}

/// <summary>Reads and checks the calendar files a halls file names, naming every problem with its file and path.</summary>
public static partial class WorkingCalendarFiles
{
    /// <summary>The folder, next to the halls file, that holds the calendar files.</summary>
    public const string Folder = "calendars";

    /// <summary>A calendar name: also a file name, so nothing that could leave the folder.</summary>
    public static bool IsValidName(string? name) => name is not null && Name().IsMatch(name);

    public static string PathOf(string hallsFolder, string name) => Path.Combine(hallsFolder, Folder, name + ".json");

    /// <summary>
    /// The valid calendars among <paramref name="names"/>, read from <c>calendars/</c> under <paramref name="hallsFolder"/>.
    /// A missing file is left out without a word here (the halls file's check names the hall that asks for it); every
    /// problem of a file that exists goes to <paramref name="errors"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, WorkingCalendar> Load(string hallsFolder, IEnumerable<string?> names, List<string> errors)
    {
        var calendars = new Dictionary<string, WorkingCalendar>(StringComparer.Ordinal);
        foreach (var name in names.Where(IsValidName).Distinct(StringComparer.Ordinal))
        {
            var path = PathOf(hallsFolder, name!);
            if (!File.Exists(path))
            {
                continue;
            }

            WorkingCalendarFile? file;
            try
            {
                using var stream = File.OpenRead(path);
                file = JsonSerializer.Deserialize<WorkingCalendarFile>(stream, HallMonitorJson.Options);
            }
            catch (JsonException exception)
            {
                errors.Add($"{path}: not valid JSON for a working-day calendar ({exception.Message})");
                continue;
            }
            catch (IOException exception)
            {
                errors.Add($"{path}: cannot be read ({exception.Message})");
                continue;
            }
            catch (UnauthorizedAccessException exception)
            {
                errors.Add($"{path}: cannot be read ({exception.Message})");
                continue;
            }

            var problems = Validate(path, name!, file ?? new WorkingCalendarFile());
            if (problems.Count > 0)
            {
                errors.AddRange(problems);
                continue;
            }

            calendars.Add(name!, ToCalendar(file!));
        }

        return calendars;
    }

    /// <summary>Every problem of a calendar file, each starting with <paramref name="path"/> and the place in the file.</summary>
    public static IReadOnlyList<string> Validate(string path, string expectedName, WorkingCalendarFile file)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(file.Name))
        {
            errors.Add($"{path}: name: required (\"{expectedName}\", as the file is named)");
        }
        else if (file.Name != expectedName)
        {
            errors.Add($"{path}: name: '{file.Name}' differs from the file's name '{expectedName}'");
        }

        if (file.Years is null || file.Years.Count == 0)
        {
            errors.Add($"{path}: years: at least one year is required");
            return errors;
        }

        foreach (var (key, year) in file.Years.OrderBy(y => y.Key, StringComparer.Ordinal))
        {
            var where = $"{path}: years.{key}";
            if (!Year().IsMatch(key))
            {
                errors.Add($"{where}: '{key}' is not a year (four digits)");
                continue;
            }

            if (year is null)
            {
                errors.Add($"{where}: holidays and workdays are required");
                continue;
            }

            var number = int.Parse(key, CultureInfo.InvariantCulture);
            var holidays = Dates(year.Holidays, $"{where}.holidays", number, errors);
            var workdays = Dates(year.Workdays, $"{where}.workdays", number, errors);
            foreach (var (day, index) in workdays)
            {
                if (!WorkingCalendar.IsWeekend(day))
                {
                    errors.Add($"{where}.workdays[{index}]: {day:yyyy-MM-dd} is a {day.DayOfWeek}; a make-up working day falls on a weekend");
                }

                if (holidays.TryGetValue(day, out var holiday))
                {
                    errors.Add($"{where}.workdays[{index}]: {day:yyyy-MM-dd} is also holidays[{holiday}]; a day is either off or worked");
                }
            }
        }

        return errors;
    }

    /// <summary>The calendar of a file that <see cref="Validate"/> found no problem in.</summary>
    public static WorkingCalendar ToCalendar(WorkingCalendarFile file) => new(
        file.Name!,
        file.Source,
        file.Years!.Select(y => new WorkingYear(
            int.Parse(y.Key, CultureInfo.InvariantCulture),
            y.Value!.Holidays!.Select(Parse),
            y.Value.Workdays!.Select(Parse))));

    /// <summary>The dates of one list, each with its index; problems named at <paramref name="where"/>.</summary>
    private static Dictionary<DateOnly, int> Dates(IReadOnlyList<string?>? values, string where, int year, List<string> errors)
    {
        var dates = new Dictionary<DateOnly, int>();
        if (values is null)
        {
            errors.Add($"{where}: required (an empty list when there is none)");
            return dates;
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (!DateOnly.TryParseExact(values[i], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                errors.Add($"{where}[{i}]: '{values[i]}' is not a date (yyyy-MM-dd)");
            }
            else if (day.Year != year)
            {
                errors.Add($"{where}[{i}]: {day:yyyy-MM-dd} is not in {year}");
            }
            else if (!dates.TryAdd(day, i))
            {
                errors.Add($"{where}[{i}]: {day:yyyy-MM-dd} is listed twice (also [{dates[day]}])");
            }
        }

        return dates;
    }

    private static DateOnly Parse(string? value) => DateOnly.ParseExact(value!, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}\\z")]
    private static partial Regex Name();

    [GeneratedRegex("^[0-9]{4}\\z")]
    private static partial Regex Year();
}
