
namespace HallMonitor.Grains;

/// <summary>
/// A hall (key <c>{hallId}</c>): ticket numbering, the index that dispatches waiting tickets to windows,
/// the live snapshot (a projection of the journal), the service-day roll-over, and audit reads of the journal.
/// </summary>
public interface IHallGrain : IGrainWithStringKey
{
    /// <summary>The hall at the latest durable journal event.</summary>
    Task<HallSnapshot> GetSnapshotAsync();

    /// <summary>
    /// Numbers and journals a new ticket (and the transfer it comes from, atomically, on condition that the
    /// sending window is still where it was), then hands it to the matter's queue and answers the queue's view
    /// of it. Issues of one matter share commits: the queue is busy only for putting the ticket in line.
    /// <paramref name="requestId"/> makes the issue idempotent for the service day: asked again with the same id
    /// (a retry after an answer was lost), the hall answers the ticket it issued for it and issues nothing.
    /// </summary>
    Task<IssuedTicket> IssueTicketAsync(string matter, TicketChannel channel, bool priority, string actor, TransferSource? transfer, string? requestId = null);

    /// <summary>
    /// Claims the best waiting ticket for a window: priority first, then the longest wait. While a claim on
    /// a matter is out, a window whose best ticket is in that matter waits for the claim to be released and
    /// looks again, so concurrent windows never race for the same ticket. Null when nothing it serves waits.
    /// </summary>
    Task<DispatchCandidate?> ClaimNextAsync(string windowId);

    /// <summary>Releases the claim on a matter when the window's take did not happen (a take's append releases it itself).</summary>
    Task ReleaseClaimAsync(string matter);

    /// <summary>A matter reports the head of its queue after it changed; null when the queue is empty.</summary>
    Task ReportHeadAsync(string matter, QueueHead? head);

    /// <summary>Delivers committed journal records in sequence order.</summary>
    Task ApplyCommittedAsync(IReadOnlyList<JournalRecord> records);

    /// <summary>
    /// Appends events to the hall's journal, of which the hall is the one writer: it sequences and hashes them,
    /// group-commits them, and answers with their records once durable. Refused with
    /// <see cref="StaleStreamException"/> when a stream moved past its expected position, and with
    /// <see cref="JournalUnavailableException"/> when the write failed; either way nothing was stored.
    /// </summary>
    Task<JournalAppended> AppendAsync(JournalAppend append);

    /// <summary>Waits until every append sequenced so far has committed or failed, and answers the durable end.</summary>
    Task<long> SettleJournalAsync();

    /// <summary>
    /// When the waiting tickets are likely to be called, per matter (<see cref="HallPrediction"/>); each ticket's
    /// predicted call too with <paramref name="withTickets"/>.
    /// </summary>
    Task<HallPrediction> PredictAsync(bool withTickets);

    /// <summary>Open alerts, or all of today's with <paramref name="includeResolved"/>; the most recent first.</summary>
    Task<IReadOnlyList<AlertView>> GetAlertsAsync(bool includeResolved);

    /// <summary>Acknowledges an open alert on behalf of <paramref name="by"/>.</summary>
    Task<AlertView> AcknowledgeAlertAsync(string alertId, string by);

    /// <summary>The hall's cases (without lookup codes or steps), optionally of one matter; the nearest promised deadline first.</summary>
    Task<IReadOnlyList<CaseView>> GetCasesAsync(CaseFilter filter, string? matter);

    /// <summary>Open follow-ups of bad reviews, or also those closed lately with <paramref name="includeClosed"/>; the nearest due first.</summary>
    Task<IReadOnlyList<FollowUpView>> GetFollowUpsAsync(bool includeClosed);

    [ReadOnly]
    Task<JournalPage> ReadJournalAsync(long fromSeq, int limit);

    [ReadOnly]
    [ResponseTimeout(LongRead.Timeout)]
    Task<JournalVerification> VerifyJournalAsync();

    /// <summary>
    /// Takes up a reloaded halls file (already in this silo's catalog): journals <see cref="ConfigurationChanged"/>,
    /// then has the hall, its queues and windows start again from their checkpoints with the new definitions
    /// (targets, names, thresholds). Nothing at all when this file's hash is the last one journaled here.
    /// </summary>
    Task ApplyConfigurationAsync(string sha256, IReadOnlyList<string> changes);

    /// <summary>Activates the hall (numbering, dispatch and roll-over) and reports its journal position.</summary>
    Task<long> EnsureActiveAsync();

    /// <summary>
    /// The live feed, as a long poll: the committed events after <paramref name="afterSeq"/> in sequence order, at
    /// most <paramref name="limit"/>; when there is none yet, waits up to <paramref name="wait"/> for the next commit
    /// and answers empty if none came. A negative <paramref name="afterSeq"/> answers at once with the journal's
    /// position only: the place to follow from.
    /// </summary>
    [AlwaysInterleave]
    Task<LiveBatch> FollowAsync(long afterSeq, int limit, TimeSpan wait);
}

/// <summary>Committed events for a follower, and the journal's durable end when they were read.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.LiveBatch")]
public sealed record LiveBatch(long DurableSeq, IReadOnlyList<JournalRecord> Records);

/// <summary>
/// A newly numbered and journaled ticket, with what the matter needs to estimate its wait, and the queue's
/// previous event in the journal (a queue that has not seen it catches up from the journal first).
/// </summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.IssuedLeg")]
public sealed record IssuedLeg(JournalRecord Issued, JournalRecord? Transferred, int ServingWindows, double AverageHandleSeconds, long QueuePreviousSeq);

/// <summary>An issued ticket as its queue sees it, and the transfer it came from.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.IssuedTicket")]
public sealed record IssuedTicket(TicketView Ticket, JournalRecord? Transferred);

/// <summary>The head of a matter's queue: what dispatch orders by.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.QueueHead")]
public sealed record QueueHead(string TicketId, bool Priority, DateTimeOffset IssuedAt, long Seq);

/// <summary>
/// Events to journal at one moment by one actor, on condition that the streams are where the caller saw them;
/// from a queue, also its head once they apply, which the hall's dispatch index takes with the commit.
/// </summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.JournalAppend")]
public sealed record JournalAppend(
    IReadOnlyList<HallEvent> Events,
    DateTimeOffset At,
    string Actor,
    IReadOnlyList<StreamPosition> Expected,
    QueueReport? Queue = null,
    JournalStream? Own = null);

/// <summary>
/// The durable records of an append, and the last event of the caller's own stream before them: a caller that
/// has not applied that one reads it from the journal first, so that it applies its stream in order.
/// </summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.JournalAppended")]
public sealed record JournalAppended(IReadOnlyList<JournalRecord> Records, long OwnPreviousSeq);

/// <summary>
/// A queue's head after an append; <see cref="Taken"/> when the append is a window's take, which ends the
/// window's claim on the queue.
/// </summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.QueueReport")]
public sealed record QueueReport(string Matter, QueueHead? Head, bool Taken);

/// <summary>A ticket a window may try to take.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.DispatchCandidate")]
public sealed record DispatchCandidate(string Matter, string TicketId);
