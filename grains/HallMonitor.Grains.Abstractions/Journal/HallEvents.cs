namespace HallMonitor.Grains;

/// <summary>
/// Something that happened in a hall. Every change is one of these, journaled with a sequence number,
/// time and actor; the grains' state is what the journal's events add up to.
/// </summary>
[GenerateSerializer, Alias("HallMonitor.HallEvent")]
public abstract record HallEvent;

/// <summary>An event about a ticket; the journal indexes it by ticket and matter.</summary>
public interface ITicketEvent
{
    string TicketId { get; }

    string Number { get; }

    string Matter { get; }
}

/// <summary>An event that happened at a window; the journal indexes it by window.</summary>
public interface IWindowEvent
{
    string? Window { get; }
}

/// <summary>A visitor took a number (取号), or a transfer opened a new leg.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.TicketIssued")]
public sealed record TicketIssued(
    string TicketId,
    string Number,
    string Matter,
    TicketChannel Channel,
    bool Priority,
    DateOnly ServiceDay,
    string? TransferredFrom = null,
    string? RequestId = null) : HallEvent, ITicketEvent;

/// <summary>A window called the ticket (叫号); <see cref="WaitSeconds"/> is the leg's wait.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.TicketCalled")]
public sealed record TicketCalled(
    string TicketId,
    string Number,
    string Matter,
    string Window,
    string Clerk,
    double WaitSeconds,
    bool Priority,
    DateTimeOffset IssuedAt,
    TicketChannel Channel) : HallEvent, ITicketEvent, IWindowEvent;

/// <summary>The window called the same ticket again.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.TicketRecalled")]
public sealed record TicketRecalled(
    string TicketId,
    string Number,
    string Matter,
    string Window,
    string Clerk,
    int Recalls) : HallEvent, ITicketEvent, IWindowEvent;

/// <summary>The visitor arrived at the window and the service began.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.ServiceStarted")]
public sealed record ServiceStarted(
    string TicketId,
    string Number,
    string Matter,
    string Window,
    string Clerk) : HallEvent, ITicketEvent, IWindowEvent;

/// <summary>The service ended (办结).</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.ServiceCompleted")]
public sealed record ServiceCompleted(
    string TicketId,
    string Number,
    string Matter,
    string Window,
    string Clerk,
    double HandleSeconds) : HallEvent, ITicketEvent, IWindowEvent;

/// <summary>The called visitor did not come (过号).</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.TicketNoShow")]
public sealed record TicketNoShow(
    string TicketId,
    string Number,
    string Matter,
    string Window,
    string Clerk) : HallEvent, ITicketEvent, IWindowEvent;

/// <summary>The visitor withdrew a waiting ticket.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.TicketCancelled")]
public sealed record TicketCancelled(
    string TicketId,
    string Number,
    string Matter) : HallEvent, ITicketEvent;

/// <summary>The service ended by sending the visitor on to another matter; <see cref="NewTicketId"/> is the new leg.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.TicketTransferred")]
public sealed record TicketTransferred(
    string TicketId,
    string Number,
    string Matter,
    string Window,
    string Clerk,
    string ToMatter,
    string NewTicketId,
    double HandleSeconds) : HallEvent, ITicketEvent, IWindowEvent;

/// <summary>The service day ended before the ticket was finished.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.TicketExpired")]
public sealed record TicketExpired(
    string TicketId,
    string Number,
    string Matter,
    string? Window,
    TicketState FromState,
    DateOnly ServiceDay) : HallEvent, ITicketEvent, IWindowEvent;

/// <summary>The visitor rated the service (好差评), 1 to 5.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.TicketRated")]
public sealed record TicketRated(
    string TicketId,
    string Number,
    string Matter,
    string? Window,
    string? Clerk,
    int Score,
    string? Comment) : HallEvent, ITicketEvent, IWindowEvent;

/// <summary>A clerk opened the window.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.WindowOpened")]
public sealed record WindowOpened(string Window, string Clerk) : HallEvent, IWindowEvent;

/// <summary>The clerk paused the window.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.WindowPaused")]
public sealed record WindowPaused(string Window, string Clerk) : HallEvent, IWindowEvent;

/// <summary>The clerk resumed the window.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.WindowResumed")]
public sealed record WindowResumed(string Window, string Clerk) : HallEvent, IWindowEvent;

/// <summary>The clerk closed the window.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.WindowClosed")]
public sealed record WindowClosed(string Window, string Clerk) : HallEvent, IWindowEvent;

/// <summary>
/// A completed service accepted an application (受理) of a matter with a time limit: a case opens, with its lookup code
/// (查询码) for the visitor and its deadlines. Journaled with the <see cref="ServiceCompleted"/> it comes from.
/// </summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.CaseOpened")]
public sealed record CaseOpened(
    string TicketId,
    string Number,
    string Matter,
    string CaseId,
    string LookupCode,
    string Window,
    string Clerk,
    int PromisedDays,
    int? StatutoryDays,
    DateTimeOffset PromisedDue,
    DateTimeOffset? StatutoryDue) : HallEvent, ITicketEvent
{
    /// <summary>What the hub and a ticket's history show instead of the lookup code: only the visitor and the case's readers learn it.</summary>
    public const string HiddenCode = "******";
}

/// <summary>A case took a step; the deadlines as they stand after it (a resume moves them by the working days paused).</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.CaseStepped")]
public sealed record CaseStepped(
    string TicketId,
    string Number,
    string Matter,
    string CaseId,
    CaseStep Step,
    CaseState State,
    string By,
    string? Note,
    int PausedDays,
    DateTimeOffset PromisedDue,
    DateTimeOffset? StatutoryDue) : HallEvent, ITicketEvent;

/// <summary>A rating of 1 or 2 opened a follow-up (差评整改), due in the hall's follow-up working days.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.FollowUpOpened")]
public sealed record FollowUpOpened(
    string TicketId,
    string Number,
    string Matter,
    string FollowUpId,
    string? Window,
    int Score,
    string? Comment,
    DateTimeOffset Due) : HallEvent, ITicketEvent;

/// <summary>A supervisor closed a follow-up with what was done.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.FollowUpClosed")]
public sealed record FollowUpClosed(
    string TicketId,
    string Number,
    string Matter,
    string FollowUpId,
    string By,
    string Note,
    bool OnTime) : HallEvent, ITicketEvent;

/// <summary>An event about an alert; it carries the whole alert as it stands after the change.</summary>
public interface IAlertEvent
{
    AlertView Alert { get; }
}

/// <summary>An overtime alert was raised (yellow, or red straight away when its moment passed unnoticed).</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.AlertRaised")]
public sealed record AlertRaised(AlertView Alert) : HallEvent, IAlertEvent;

/// <summary>An alert went from warning to overtime.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.AlertEscalated")]
public sealed record AlertEscalated(AlertView Alert) : HallEvent, IAlertEvent;

/// <summary>A supervisor or clerk acknowledged an alert.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.AlertAcknowledged")]
public sealed record AlertAcknowledged(AlertView Alert) : HallEvent, IAlertEvent;

/// <summary>The cause of an alert ended.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.AlertResolved")]
public sealed record AlertResolved(AlertView Alert) : HallEvent, IAlertEvent;

/// <summary>
/// An admin reloaded the halls file (the file's SHA-256) and this is what changed for the hall: names, targets,
/// thresholds, calendars, tokens (by name, never a token or its hash).
/// </summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.ConfigurationChanged")]
public sealed record ConfigurationChanged(string Sha256, IReadOnlyList<string> Changes) : HallEvent
{
    /// <summary>Equal with the same changes in the same order, whatever list holds them (as every other event compares by value).</summary>
    public bool Equals(ConfigurationChanged? other) =>
        other is not null && Sha256 == other.Sha256 && Changes.SequenceEqual(other.Changes);

    public override int GetHashCode() => HashCode.Combine(Sha256, Changes.Count);
}

/// <summary>An event of a type this version does not know; kept as it was stored.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.UnknownEvent")]
public sealed record UnknownEvent(string Type, string Data) : HallEvent;
