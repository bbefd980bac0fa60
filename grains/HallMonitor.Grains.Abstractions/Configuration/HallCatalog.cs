using System.Collections.Frozen;
using System.Text.Json;

namespace HallMonitor.Grains;

/// <summary>
/// The configured halls, validated and indexed for look-up. An admin's reload replaces the whole content at once
/// (<see cref="Replace"/>): a reader sees the old configuration or the new one, never a mix.
/// </summary>
public sealed class HallCatalog
{
    private volatile Content _content;

    public HallCatalog(HallsFile file)
        : this(file, new Dictionary<string, WorkingCalendar>(), TimeProvider.System)
    {
    }

    /// <summary>Halls that may name one of <paramref name="calendars"/>; <paramref name="time"/> says which year is the current one.</summary>
    public HallCatalog(HallsFile file, IReadOnlyDictionary<string, WorkingCalendar> calendars, TimeProvider time, string? sha256 = null)
    {
        var errors = HallsFileValidator.Validate(file, calendars, time.GetUtcNow());
        if (errors.Count > 0)
        {
            throw new HallsConfigurationException(errors);
        }

        IReadOnlyList<Hall> halls = [.. file.Halls.Select(h => new Hall(h, h.Calendar is null ? WorkingCalendar.MondayToFriday : calendars[h.Calendar]))];
        _content = new Content(
            halls,
            halls.ToFrozenDictionary(h => h.Id, StringComparer.Ordinal),
            file.Auth,
            file.Auth is null ? null : new AccessTokens(file.Auth),
            HallsFileValidator.Warnings(file, calendars, time.GetUtcNow()),
            sha256);
    }

    /// <summary>What the operator should fix though the halls can be served (logged at start-up).</summary>
    public IReadOnlyList<string> Warnings => _content.Warnings;

    public IReadOnlyList<Hall> Halls => _content.Halls;

    public AuthDefinition? Auth => _content.Auth;

    /// <summary>The access tokens, or null when the file has no <c>auth</c> section and the API runs open.</summary>
    public AccessTokens? Tokens => _content.Tokens;

    /// <summary>The SHA-256 (hex) of the file this configuration was read from, when it was read from one.</summary>
    public string? Sha256 => _content.Sha256;

    /// <summary>Reads and validates a hall configuration file and the working-day calendars its halls name.</summary>
    public static HallCatalog Load(string path) => Load(path, TimeProvider.System);

    /// <summary>As <see cref="Load(string)"/>; <paramref name="time"/> says which year is the current one.</summary>
    public static HallCatalog Load(string path, TimeProvider time)
    {
        HallsFile? file;
        string sha256;
        try
        {
            var bytes = File.ReadAllBytes(path);
            sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
            file = JsonSerializer.Deserialize<HallsFile>(bytes, HallMonitorJson.Options);
        }
        catch (JsonException exception)
        {
            throw new HallsConfigurationException([$"{path}: not valid JSON for a hall configuration ({exception.Message})"]);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new HallsConfigurationException([$"{path}: cannot be read ({exception.Message})"]);
        }

        file ??= new HallsFile();
        var calendarErrors = new List<string>();
        var calendars = WorkingCalendarFiles.Load(
            Path.GetDirectoryName(Path.GetFullPath(path))!, (file.Halls ?? []).Select(h => h?.Calendar), calendarErrors);
        if (calendarErrors.Count > 0)
        {
            throw new HallsConfigurationException([.. calendarErrors, .. HallsFileValidator.Validate(file, calendars, time.GetUtcNow())]);
        }

        return new HallCatalog(file, calendars, time, sha256);
    }

    /// <summary>Takes over the whole content of <paramref name="next"/> (a validated reload) in one step.</summary>
    public void Replace(HallCatalog next) => _content = next._content;

    public bool TryGetHall(string hallId, out Hall hall) => _content.ById.TryGetValue(hallId, out hall!);

    /// <summary>The hall, or <see cref="NotFoundException"/>.</summary>
    public Hall GetHall(string hallId) =>
        _content.ById.TryGetValue(hallId, out var hall) ? hall : throw NotFoundException.Hall(hallId);

    private sealed record Content(
        IReadOnlyList<Hall> Halls,
        FrozenDictionary<string, Hall> ById,
        AuthDefinition? Auth,
        AccessTokens? Tokens,
        IReadOnlyList<string> Warnings,
        string? Sha256);
}

/// <summary>One configured hall with its matters and windows indexed.</summary>
public sealed class Hall
{
    private readonly FrozenDictionary<string, MatterDefinition> _matters;
    private readonly FrozenDictionary<string, WindowDefinition> _windows;
    private readonly FrozenDictionary<string, FrozenSet<string>?> _servedMatters;

    /// <summary>A hall that names no calendar: Monday to Friday are its working days.</summary>
    public Hall(HallDefinition definition)
        : this(definition, definition.Calendar is null
            ? WorkingCalendar.MondayToFriday
            : throw new ArgumentException($"Hall '{definition.Id}' names the calendar '{definition.Calendar}'; pass it.", nameof(definition)))
    {
    }

    public Hall(HallDefinition definition, WorkingCalendar calendar)
    {
        Definition = definition;
        Calendar = calendar;
        TimeZone = TimeZoneInfo.FindSystemTimeZoneById(definition.TimeZone);
        _matters = definition.Matters.ToFrozenDictionary(m => m.Code, StringComparer.Ordinal);
        _windows = definition.Windows.ToFrozenDictionary(w => w.Id, StringComparer.Ordinal);
        _servedMatters = definition.Windows.ToFrozenDictionary(
            w => w.Id,
            w => ServesAll(w) ? null : w.Matters.ToFrozenSet(StringComparer.Ordinal),
            StringComparer.Ordinal);
    }

    public HallDefinition Definition { get; }

    public string Id => Definition.Id;

    public string Name => Definition.Name;

    public TimeZoneInfo TimeZone { get; }

    /// <summary>The hall's working days (<see cref="WorkingCalendar.MondayToFriday"/> when it names no calendar).</summary>
    public WorkingCalendar Calendar { get; }

    public IReadOnlyList<MatterDefinition> Matters => Definition.Matters;

    public IReadOnlyList<WindowDefinition> Windows => Definition.Windows;

    public bool TryGetMatter(string code, out MatterDefinition matter) => _matters.TryGetValue(code, out matter!);

    public MatterDefinition GetMatter(string code) =>
        _matters.TryGetValue(code, out var matter) ? matter : throw NotFoundException.Matter(Id, code);

    public bool TryGetWindow(string windowId, out WindowDefinition window) => _windows.TryGetValue(windowId, out window!);

    public WindowDefinition GetWindow(string windowId) =>
        _windows.TryGetValue(windowId, out var window) ? window : throw NotFoundException.Window(Id, windowId);

    /// <summary>True when <paramref name="windowId"/> serves <paramref name="matter"/>.</summary>
    public bool Serves(string windowId, string matter) =>
        _servedMatters.TryGetValue(windowId, out var served) && (served is null || served.Contains(matter));

    /// <summary>The matters a window serves, or null when it serves all of them.</summary>
    public IReadOnlySet<string>? ServedMatters(string windowId) => _servedMatters[windowId];

    /// <summary>The hall's local time for an instant.</summary>
    public DateTimeOffset LocalTime(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, TimeZone);

    /// <summary>The service day (the hall's local calendar day) of an instant.</summary>
    public DateOnly ServiceDay(DateTimeOffset instant) => DateOnly.FromDateTime(LocalTime(instant).DateTime);

    /// <summary>The instant the given service day begins (local midnight).</summary>
    public DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, TimeZone.GetUtcOffset(local));
    }

    /// <summary>
    /// The end (24:00 local) of the <paramref name="workingDays"/>th working day after the service day of
    /// <paramref name="acceptedAt"/>, moved by <paramref name="pausedWorkingDays"/> spent awaiting materials.
    /// </summary>
    public DateTimeOffset Deadline(DateTimeOffset acceptedAt, int workingDays, int pausedWorkingDays = 0) =>
        StartOf(Calendar.DeadlineDay(ServiceDay(acceptedAt), workingDays, pausedWorkingDays).AddDays(1));

    internal static bool ServesAll(WindowDefinition window) => window.Matters is ["*"];
}
