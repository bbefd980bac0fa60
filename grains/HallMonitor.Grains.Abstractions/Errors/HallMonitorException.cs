namespace HallMonitor.Grains;

/// <summary>
/// A request the domain refuses. The web edge maps each kind to one HTTP status; the grain that throws
/// has changed nothing.
/// </summary>
[GenerateSerializer, Alias("HallMonitor.HallMonitorException")]
public abstract class HallMonitorException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>An unknown hall, matter, window or ticket (404).</summary>
[GenerateSerializer, Alias("HallMonitor.NotFoundException")]
public sealed class NotFoundException(string message) : HallMonitorException(message)
{
    public static NotFoundException Hall(string hallId) => new($"There is no hall '{hallId}'.");

    public static NotFoundException Matter(string hallId, string code) => new($"Hall '{hallId}' has no matter '{code}'.");

    public static NotFoundException Window(string hallId, string windowId) => new($"Hall '{hallId}' has no window '{windowId}'.");

    public static NotFoundException Ticket(string hallId, string ticketId) => new($"Hall '{hallId}' has no ticket '{ticketId}'.");
}

/// <summary>The action does not fit the current state, for example completing at an idle window (409).</summary>
[GenerateSerializer, Alias("HallMonitor.ConflictException")]
public sealed class ConflictException(string message) : HallMonitorException(message);

/// <summary>A value the domain cannot accept (400).</summary>
[GenerateSerializer, Alias("HallMonitor.InvalidRequestException")]
public sealed class InvalidRequestException(string message) : HallMonitorException(message);

/// <summary>
/// The journal cannot take writes right now (503); nothing was changed. The store's own exception stays in the
/// silo (it may have no codec, and its words are not for the public): <see cref="Cause"/> names it for the logs.
/// </summary>
[GenerateSerializer, Alias("HallMonitor.JournalUnavailableException")]
public sealed class JournalUnavailableException(string message, string? cause = null) : HallMonitorException(message)
{
    /// <summary>What the store reported, as <c>Type: message</c>.</summary>
    [Id(0)]
    public string? Cause { get; } = cause;

    public static string Describe(Exception exception) => $"{exception.GetType().Name}: {exception.Message}";

    public override string ToString() => Cause is null ? base.ToString() : $"{base.ToString()}{Environment.NewLine}Cause: {Cause}";
}

/// <summary>
/// A working-day question about a year the hall's calendar does not cover: its official arrangement has not been added
/// to the calendar file yet. Answered as a server-side configuration gap rather than guessed as Monday to Friday.
/// </summary>
[GenerateSerializer, Alias("HallMonitor.CalendarYearNotCoveredException")]
public sealed class CalendarYearNotCoveredException : HallMonitorException
{
    public CalendarYearNotCoveredException(string calendar, int year, IReadOnlyList<int> covered)
        : base($"The working-day calendar '{calendar}' does not cover {year} (it covers {(covered.Count == 0 ? "no year" : string.Join(", ", covered))}); add {year}'s arrangement to calendars/{calendar}.json.")
    {
        Calendar = calendar;
        Year = year;
    }

    [Id(0)]
    public string Calendar { get; private set; }

    [Id(1)]
    public int Year { get; private set; }
}

/// <summary>
/// A stored journal event cannot be read (its data was altered or damaged): the grain that would have to apply it
/// refuses to start rather than skip it (503). An operator restores the journal; <c>journal/verify</c> shows where.
/// </summary>
[GenerateSerializer, Alias("HallMonitor.JournalCorruptException")]
public sealed class JournalCorruptException(string message, string hallId, long seq) : HallMonitorException(message)
{
    [Id(0)]
    public string HallId { get; } = hallId;

    /// <summary>The event that cannot be read.</summary>
    [Id(1)]
    public long Seq { get; } = seq;
}
