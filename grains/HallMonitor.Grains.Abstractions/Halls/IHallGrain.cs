
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
    /// Numbers and journals a new ticket (and the transfer it comes from, atomically), on condition that the
    /// matter's queue is still at <paramref name="queue"/> (and the sending window at its position).
    /// </summary>
    Task<IssuedLeg> IssueTicketAsync(string matter, TicketChannel channel, bool priority, string actor, TransferSource? transfer, StreamPosition queue);

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
    Task<IReadOnlyList<JournalRecord>> AppendAsync(JournalAppend append);

    /// <summary>Waits until every append sequenced so far has committed or failed, and answers the durable end.</summary>
    Task<long> SettleJournalAsync();

    /// <summary>Open alerts, or all of today's with <paramref name="includeResolved"/>; the most recent first.</summary>
    Task<IReadOnlyList<AlertView>> GetAlertsAsync(bool includeResolved);

    /// <summary>Acknowledges an open alert on behalf of <paramref name="by"/>.</summary>
    Task<AlertView> AcknowledgeAlertAsync(string alertId, string by);

    [ReadOnly]
    Task<JournalPage> ReadJournalAsync(long fromSeq, int limit);

    [ReadOnly]
    Task<JournalVerification> VerifyJournalAsync();

    /// <summary>Activates the hall (numbering, dispatch and roll-over) and reports its journal position.</summary>
    Task<long> EnsureActiveAsync();
}

/// <summary>A newly numbered and journaled ticket, with what the matter needs to estimate its wait.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.IssuedLeg")]
public sealed record IssuedLeg(JournalRecord Issued, JournalRecord? Transferred, int ServingWindows, double AverageHandleSeconds);

/// <summary>The head of a matter's queue: what dispatch orders by.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.QueueHead")]
public sealed record QueueHead(string TicketId, bool Priority, DateTimeOffset IssuedAt, long Seq);

/// <summary>
/// Events to journal at one moment by one actor, on condition that the streams are where the caller saw them;
/// from a queue, also its head once they apply, which the hall's dispatch index takes with the commit.
/// </summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.JournalAppend")]
public sealed record JournalAppend(IReadOnlyList<HallEvent> Events, DateTimeOffset At, string Actor, IReadOnlyList<StreamPosition> Expected, QueueReport? Queue = null);

/// <summary>
/// A queue's head after an append; <see cref="Taken"/> when the append is a window's take, which ends the
/// window's claim on the queue.
/// </summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.QueueReport")]
public sealed record QueueReport(string Matter, QueueHead? Head, bool Taken);

/// <summary>A ticket a window may try to take.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.DispatchCandidate")]
public sealed record DispatchCandidate(string Matter, string TicketId);
