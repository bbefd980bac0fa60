using System.Text.RegularExpressions;

namespace HallMonitor.Grains;

/// <summary>Checks a hall configuration file and names every problem it finds.</summary>
public static partial class HallsFileValidator
{
    /// <summary>The problems of a halls file whose halls name no working-day calendar.</summary>
    public static IReadOnlyList<string> Validate(HallsFile file) =>
        Validate(file, new Dictionary<string, WorkingCalendar>(), TimeProvider.System.GetUtcNow());

    /// <summary>
    /// The problems of a halls file whose halls may name one of <paramref name="calendars"/> (whether they cover the
    /// current year, at <paramref name="now"/>, is a warning: <see cref="Warnings"/>).
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

            if (hall.FollowUpDays is < 1 or > 60)
            {
                errors.Add($"{where}.followUpDays: {hall.FollowUpDays} must be 1 to 60 working days");
            }

            ValidateMatters(hall, where, errors);
            ValidateWindows(hall, where, errors);
        }

        if (file.Auth is not null)
        {
            ValidateAuth(file, errors);
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
    }

    /// <summary>
    /// What a working server should be told but need not stop for: a hall's calendar that does not cover the current
    /// year (at <paramref name="now"/>, in the hall's time zone). Refusing to start on New Year's Day because the
    /// State Council's notice was not yet added would close the hall; its deadlines in that year are refused instead.
    /// </summary>
    public static IReadOnlyList<string> Warnings(HallsFile file, IReadOnlyDictionary<string, WorkingCalendar> calendars, DateTimeOffset now)
    {
        var warnings = new List<string>();
        foreach (var hall in file.Halls ?? [])
        {
            if (hall.Calendar is not { } name || !calendars.TryGetValue(name, out var calendar)
                || !TimeZoneInfo.TryFindSystemTimeZoneById(hall.TimeZone ?? "", out var zone))
            {
                continue;
            }

            var year = TimeZoneInfo.ConvertTime(now, zone).Year;
            if (!calendar.Covers(year))
            {
                var covered = calendar.Years.Count == 0 ? "no year" : string.Join(", ", calendar.Years);
                warnings.Add($"hall '{hall.Id}'.calendar: '{name}' does not cover the current year {year} (it covers {covered}); add {year} from the official notice, until then no deadline in {year} can be computed");
            }
        }

        return warnings;
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

    private static void ValidateAuth(HallsFile file, List<string> errors)
    {
        var halls = file.Halls.Where(h => h.Id is not null).GroupBy(h => h.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var hashes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var tokens = file.Auth!.Tokens ?? [];
        for (var t = 0; t < tokens.Count; t++)
        {
            var token = tokens[t];
            var at = token.Name is { Length: > 0 } name && name.Length <= MaxTokenName ? $"auth.tokens[{t}] ('{name}')" : $"auth.tokens[{t}]";
            if (token.Sha256 is null || !Sha256().IsMatch(token.Sha256))
            {
                errors.Add($"{at}.sha256: must be the 64 hexadecimal digits of the token's SHA-256");
            }
            else if (!hashes.Add(token.Sha256))
            {
                errors.Add($"{at}.sha256: the same token is listed twice");
            }

            if (string.IsNullOrWhiteSpace(token.Name) || token.Name.Length > MaxTokenName || token.Name.Any(char.IsControl) || token.Name != token.Name.Trim())
            {
                errors.Add($"{at}.name: required, 1–{MaxTokenName} characters without control characters or surrounding spaces (the journal records it as the actor)");
            }
            else if (!names.Add(token.Name))
            {
                errors.Add($"{at}.name: '{token.Name}' is used by another token; each name must say who acted");
            }

            if (!Roles.All.Contains(token.Role))
            {
                errors.Add($"{at}.role: '{token.Role}' must be one of {string.Join(", ", Roles.All)}");
                continue;
            }

            HallDefinition? hall = null;
            if (token.Hall is not null && !halls.TryGetValue(token.Hall, out hall))
            {
                errors.Add($"{at}.hall: '{token.Hall}' is not configured");
            }
            else if (token.Hall is null && token.Role is Roles.Clerk or Roles.Supervisor)
            {
                errors.Add($"{at}.hall: a {token.Role} token belongs to one hall");
            }

            if (token.Role == Roles.Clerk)
            {
                if (token.Window is null)
                {
                    errors.Add($"{at}.window: a clerk token belongs to one window");
                }
                else if (hall is not null && !hall.Windows.Any(w => w.Id == token.Window))
                {
                    errors.Add($"{at}.window: hall '{hall.Id}' has no window '{token.Window}'");
                }
            }
            else if (token.Window is not null)
            {
                errors.Add($"{at}.window: only a clerk token has a window");
            }

            if (token.Role is Roles.Admin or Roles.Scrape && token.Hall is not null)
            {
                errors.Add($"{at}.hall: {token.Role} tokens are not bound to a hall");
            }
        }
    }

    /// <summary>The longest name a token may carry.</summary>
    public const int MaxTokenName = 64;

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
