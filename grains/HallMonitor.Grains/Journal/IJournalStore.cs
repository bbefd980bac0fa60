namespace HallMonitor.Grains;

/// <summary>
/// Durable storage of hall journals. Appends are atomic and applied in the order they are made; a store
/// that batches them (group commit) still commits in that order.
/// </summary>
public interface IJournalStore
{
    /// <summary>
    /// Rises after a failed write. Appends made under an older epoch are refused, so that nothing sequenced
    /// after a lost write can land and leave a gap in a journal.
    /// </summary>
    long Epoch { get; }

    /// <summary>The last stored event of a hall, or seq 0 with the genesis hash.</summary>
    Task<JournalTail> ReadTailAsync(string hallId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="records"/> durably and atomically. <paramref name="committed"/> runs once they
    /// are durable, in commit order, before the returned task completes. Refuses, with
    /// <see cref="JournalForkException"/>, records that do not continue the stored chain (the next sequence
    /// number and the last stored hash): a second writer of the same hall cannot fork its journal.
    /// </summary>
    Task AppendAsync(IReadOnlyList<JournalRecord> records, long epoch, Action committed);

    Task<IReadOnlyList<JournalRecord>> ReadAsync(string hallId, JournalQuery query, CancellationToken cancellationToken = default);
}

/// <summary>The position a journal continues from.</summary>
public readonly record struct JournalTail(long Seq, string Hash);

/// <summary>Which events to read: those after <see cref="AfterSeq"/>, optionally of one ticket, window or matter.</summary>
public sealed record JournalQuery
{
    public long AfterSeq { get; init; }

    public int Limit { get; init; } = 1000;

    public string? TicketId { get; init; }

    public string? WindowId { get; init; }

    public string? Matter { get; init; }

    /// <summary>Selects the records the query asks for; stores without indexes filter with it.</summary>
    public bool Matches(JournalRecord record)
    {
        if (record.Seq <= AfterSeq)
        {
            return false;
        }

        // Without a filter the event is not decoded: reading the journal whole must not depend on every row decoding.
        if (TicketId is null && WindowId is null && Matter is null)
        {
            return true;
        }

        var keys = JournalKeys.Of(record.Event);
        return (TicketId is null || keys.TicketId == TicketId)
            && (WindowId is null || keys.WindowId == WindowId)
            && (Matter is null || keys.Matter == Matter);
    }
}

/// <summary>The ticket, window and matter an event concerns: the journal's index keys.</summary>
public readonly record struct JournalKeys(string? TicketId, string? WindowId, string? Matter)
{
    public static JournalKeys Of(HallEvent hallEvent) => hallEvent is IAlertEvent { Alert: var alert }
        ? new(alert.TicketId, alert.Window, alert.Matter)
        : new((hallEvent as ITicketEvent)?.TicketId, (hallEvent as IWindowEvent)?.Window, (hallEvent as ITicketEvent)?.Matter);
}

/// <summary>
/// An append that does not continue the stored chain: another writer of the hall got there first. Nothing of
/// it was stored; the journal reloads its tail before it sequences again.
/// </summary>
public sealed class JournalForkException(string message) : Exception(message)
{
    /// <summary>The refusal when <paramref name="first"/> does not follow <paramref name="tail"/>, or null when it does.</summary>
    public static JournalForkException? Check(JournalTail tail, JournalRecord first) =>
        first.Seq == tail.Seq + 1 && first.PrevHash == tail.Hash
            ? null
            : new($"Hall '{first.HallId}': event {first.Seq} (after {first.PrevHash[..12]}…) does not continue the stored journal, which ends at event {tail.Seq} ({tail.Hash[..12]}…).");
}

/// <summary>
/// The store cannot write at all right now (its disk is full or read-only, its database away): nothing of the
/// write was stored. It stays in the silo; the journal turns it into <see cref="JournalUnavailableException"/>.
/// </summary>
public sealed class StorageUnavailableException(string reason, Exception inner) : IOException($"Storage is unavailable: {reason}.", inner)
{
    /// <summary>What is wrong, in a few words for an operator (<c>the data folder is full</c>).</summary>
    public string Reason { get; } = reason;
}
