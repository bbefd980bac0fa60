using System.Text.RegularExpressions;

namespace HallMonitor.Grains;

/// <summary>Checks a hall configuration file and names every problem it finds.</summary>
public static partial class HallsFileValidator
{
    /// <summary>The problems of a halls file whose halls name no working-day calendar.</summary>
    public static IReadOnlyList<string> Validate(HallsFile file) =>
        Validate(file, new Dictionary<string, WorkingCalendar>(), TimeProvider.System.GetUtcNow());

    /// <summary>
    /// The problems of a halls file whose halls may name one of <paramref name="calendars"/>, which must cover the
    /// current year (at <paramref name="now"/>, in the hall's time zone).
    /// </summary>
    public static IReadOnlyList<string> Validate(HallsFile file, IReadOnlyDictionary<string, WorkingCalendar> calendars, DateTimeOffset now)
    {
        var errors = new List<string>();
        if (file.Halls is null || file.Halls.Count == 0)
        {
            errors.Add("halls: at least one hall is required");
            return errors;
        }

        var hallIds = new HashSet<string>(StringComparer.Ordinal);
        for (var h = 0; h < file.Halls.Count; h++)
        {
            var hall = file.Halls[h];
            var where = $"halls[{h}]";
            if (hall.Id is null || !HallId().IsMatch(hall.Id))
            {
                errors.Add($"{where}.id: '{hall.Id}' must be 1–32 lower-case letters, digits or '-'");
            }
            else if (!hallIds.Add(hall.Id))
            {
                errors.Add($"{where}.id: '{hall.Id}' is used twice");
            }
            else
            {
                where = $"hall '{hall.Id}'";
            }

            if (string.IsNullOrWhiteSpace(hall.Name))
            {
                errors.Add($"{where}.name: required");
            }

            if (!TimeZoneInfo.TryFindSystemTimeZoneById(hall.TimeZone ?? "", out var zone))
            {
                errors.Add($"{where}.timeZone: '{hall.TimeZone}' is not a known IANA time zone");
            }

            if (hall.Calendar is not null)
            {
                ValidateCalendar(hall.Calendar, zone, calendars, now, where, errors);
            }

            if (hall.WarnRatio is <= 0 or >= 1 || double.IsNaN(hall.WarnRatio))
            {
                errors.Add($"{where}.warnRatio: {hall.WarnRatio} must be between 0 and 1");
            }

            if (hall.BacklogThreshold < 1)
            {
                errors.Add($"{where}.backlogThreshold: {hall.BacklogThreshold} must be at least 1");
            }

            ValidateMatters(hall, where, errors);
            ValidateWindows(hall, where, errors);
        }

        if (file.Auth is not null)
        {
            ValidateAuth(file, hallIds, errors);
        }

        return errors;
    }

    private static void ValidateCalendar(
        string name, TimeZoneInfo? zone, IReadOnlyDictionary<string, WorkingCalendar> calendars, DateTimeOffset now, string where, List<string> errors)
    {
        if (!WorkingCalendarFiles.IsValidName(name))
        {
            errors.Add($"{where}.calendar: '{name}' must be 1–64 lower-case letters, digits or '-'");
            return;
        }

        if (!calendars.TryGetValue(name, out var calendar))
        {
            errors.Add($"{where}.calendar: '{name}' is not a known calendar ({WorkingCalendarFiles.Folder}/{name}.json next to the halls file is missing or invalid)");
            return;
        }

        var year = (zone is null ? now : TimeZoneInfo.ConvertTime(now, zone)).Year;
        if (!calendar.Covers(year))
        {
            var covered = calendar.Years.Count == 0 ? "no year" : string.Join(", ", calendar.Years);
            errors.Add($"{where}.calendar: '{name}' does not cover the current year {year} (it covers {covered})");
        }
    }

    private static void ValidateMatters(HallDefinition hall, string where, List<string> errors)
    {
        if (hall.Matters is null || hall.Matters.Count == 0)
        {
            errors.Add($"{where}.matters: at least one matter is required");
            return;
        }

        var codes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var matter in hall.Matters)
        {
            var at = $"{where} matter '{matter.Code}'";
            if (matter.Code is null || !Code().IsMatch(matter.Code))
            {
                errors.Add($"{at}: the code must be 1–32 letters, digits, '.', '_' or '-'");
            }
            else if (!codes.Add(matter.Code))
            {
                errors.Add($"{at}: the code is used twice");
            }

            if (string.IsNullOrWhiteSpace(matter.Name))
            {
                errors.Add($"{at}.name: required");
            }

            if (string.IsNullOrWhiteSpace(matter.Category))
            {
                errors.Add($"{at}.category: required");
            }

            if (matter.Prefix is null || !Prefix().IsMatch(matter.Prefix))
            {
                errors.Add($"{at}.prefix: '{matter.Prefix}' must be 1–3 upper-case letters");
            }

            if (matter.WaitTargetSeconds <= 0)
            {
                errors.Add($"{at}.waitTargetSeconds: must be positive");
            }

            if (matter.HandleTargetSeconds <= 0)
            {
                errors.Add($"{at}.handleTargetSeconds: must be positive");
            }

            if (matter.PromisedDays is < 0 || matter.StatutoryDays is < 0)
            {
                errors.Add($"{at}: promisedDays and statutoryDays cannot be negative");
            }
        }
    }

    private static void ValidateWindows(HallDefinition hall, string where, List<string> errors)
    {
        if (hall.Windows is null || hall.Windows.Count == 0)
        {
            errors.Add($"{where}.windows: at least one window is required");
            return;
        }

        var codes = (hall.Matters ?? []).Select(m => m.Code).ToHashSet(StringComparer.Ordinal);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var window in hall.Windows)
        {
            var at = $"{where} window '{window.Id}'";
            if (window.Id is null || !Code().IsMatch(window.Id))
            {
                errors.Add($"{at}: the id must be 1–32 letters, digits, '.', '_' or '-'");
            }
            else if (!ids.Add(window.Id))
            {
                errors.Add($"{at}: the id is used twice");
            }

            if (string.IsNullOrWhiteSpace(window.Name))
            {
                errors.Add($"{at}.name: required");
            }

            if (!Enum.IsDefined(window.Kind))
            {
                errors.Add($"{at}.kind: unknown");
            }

            if (window.Matters is null || window.Matters.Count == 0)
            {
                errors.Add($"{at}.matters: at least one matter, or [\"*\"] for all");
                continue;
            }

            if (window.Matters.Contains("*") && window.Matters.Count > 1)
            {
                errors.Add($"{at}.matters: \"*\" stands alone");
            }

            foreach (var code in window.Matters.Where(c => c != "*" && !codes.Contains(c)))
            {
                errors.Add($"{at}.matters: '{code}' is not a matter of this hall");
            }
        }
    }

    private static void ValidateAuth(HallsFile file, HashSet<string> hallIds, List<string> errors)
    {
        string[] roles = ["kiosk", "clerk", "display", "supervisor", "auditor", "admin"];
        foreach (var token in file.Auth!.Tokens ?? [])
        {
            if (token.Sha256 is null || !Sha256().IsMatch(token.Sha256))
            {
                errors.Add("auth.tokens: sha256 must be 64 hexadecimal digits");
            }

            if (!roles.Contains(token.Role))
            {
                errors.Add($"auth.tokens: role '{token.Role}' must be one of {string.Join(", ", roles)}");
            }

            if (token.Hall is not null && !hallIds.Contains(token.Hall))
            {
                errors.Add($"auth.tokens: hall '{token.Hall}' is not configured");
            }
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,31}\\z")]
    private static partial Regex HallId();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}\\z")]
    private static partial Regex Code();

    [GeneratedRegex("^[A-Z]{1,3}\\z")]
    private static partial Regex Prefix();

    [GeneratedRegex("^[0-9a-fA-F]{64}\\z")]
    private static partial Regex Sha256();
}

/// <summary>The hall configuration file is invalid; <see cref="Errors"/> says where.</summary>
public sealed class HallsConfigurationException(IReadOnlyList<string> errors)
    : Exception("Invalid hall configuration: " + string.Join("; ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
