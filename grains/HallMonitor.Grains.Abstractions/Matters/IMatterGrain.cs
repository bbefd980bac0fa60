
namespace HallMonitor.Grains;

/// <summary>
/// A matter's queue (key <c>{hall}/{matterCode}</c>): it issues tickets, holds them while they wait, and
/// hands each to exactly one window.
/// </summary>
public interface IMatterGrain : IGrainWithStringKey
{
    /// <summary>
    /// Takes a number for a visitor; the answer carries people ahead and the estimated wait. The hall numbers
    /// and journals it and then puts it in this queue (<see cref="EnqueueAsync"/>); interleaving, because this
    /// request only waits, so that many issues of a matter share one commit. With <paramref name="requestId"/>
    /// (an idempotency key) a repeated request answers the ticket issued for it; without, the queue makes one, so
    /// that its own retries (the hall's silo went away with the answer) never issue twice.
    /// </summary>
    [AlwaysInterleave]
    Task<TicketView> IssueAsync(TicketChannel channel, bool priority, string actor, string? requestId = null);

    /// <summary>Queues the new leg of a ticket transferred from another matter, journaled with the transfer (as <see cref="IssueAsync"/>).</summary>
    [AlwaysInterleave]
    Task<TransferOutcome> IssueTransferAsync(TransferSource source);

    /// <summary>Puts a ticket the hall has journaled in line; answers it with the people ahead and the estimate.</summary>
    Task<TicketView> EnqueueAsync(IssuedLeg leg);

    /// <summary>
    /// Gives the ticket to a window if it is still waiting here; null if another window got it first. Refused with
    /// <see cref="StaleStreamException"/> when the window's stream moved past <paramref name="windowSeq"/>.
    /// </summary>
    Task<JournalRecord?> TryTakeAsync(string ticketId, string windowId, string clerk, long windowSeq);

    /// <summary>Withdraws a waiting ticket.</summary>
    Task<JournalRecord> CancelAsync(string ticketId, string actor);

    /// <summary>Expires the tickets still waiting from service days before <paramref name="today"/>.</summary>
    Task<int> ExpireBeforeAsync(DateOnly today);

    [ReadOnly]
    Task<QueueView> GetQueueAsync();

    /// <summary>Acknowledges one of this matter's open alerts (a ticket's wait, or the backlog).</summary>
    Task<AlertView> AcknowledgeAlertAsync(string alertId, string by);

    /// <summary>Deactivates once idle, so that the next call reads the reloaded configuration (targets, names).</summary>
    Task ReloadAsync();

    /// <summary>Brings the queue back if it was collected and journals the alerts that came due; the hall's wake reminder calls it.</summary>
    Task WakeAsync();

    /// <summary>
    /// The hall's prediction (<see cref="HallPrediction"/>) for this queue: raises a predicted-overtime alert for each
    /// <paramref name="late"/> ticket still waiting and not yet warned, and resolves those of <paramref name="improved"/>.
    /// </summary>
    Task PredictedAsync(IReadOnlyList<PredictedWait> late, IReadOnlyList<string> improved);
}

/// <summary>A waiting ticket predicted to be called after its wait target: the predicted wait and call (hall time).</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.PredictedWait")]
public sealed record PredictedWait(
    [property: Id(0)] string TicketId,
    [property: Id(1)] double WaitSeconds,
    [property: Id(2)] DateTimeOffset CallAt);

/// <summary>The ticket a window is sending on, who sends it, and the window's journal position it was decided on.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.TransferSource")]
public sealed record TransferSource(string TicketId, string Number, string Matter, bool Priority, string WindowId, string Clerk, DateTimeOffset StartedAt, long WindowSeq);

/// <summary>The journaled transfer and the new waiting leg.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.TransferOutcome")]
public sealed record TransferOutcome(JournalRecord Transferred, TicketView NewLeg);

/// <summary>A matter's waiting line.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.QueueView")]
public sealed record QueueView(string Matter, int Waiting, int PriorityWaiting, DateTimeOffset? OldestIssuedAt, IReadOnlyList<string> TicketIds);
