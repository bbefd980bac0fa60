using System.Threading.Channels;

namespace HallMonitor.Grains;

/// <summary>
/// The journal of one hall: gives each event the next sequence number and its hash, hands the records to
/// the store, and publishes them, in sequence order, once they are durable.
/// </summary>
/// <remarks>
/// Sequencing happens under a lock and the store takes appends in the order they are made, so the store
/// commits in sequence order while many appends share one commit (group commit). After a failed write the
/// store's epoch rises; the journal then reloads its tail from the store before sequencing anything else.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The semaphore never allocates a wait handle; journals live as long as the silo.")]
public sealed class HallJournal
{
    private readonly IJournalStore _store;
    private readonly HallMetrics? _metrics;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _reload = new(1, 1);
    private readonly List<Channel<IReadOnlyList<JournalRecord>>> _subscribers = [];
    private long _seq;
    private string _hash = JournalHash.Genesis;
    private long _epoch = -1;
    private long _durableSeq;
    private string? _durableHash;
    private readonly Dictionary<JournalStream, long> _streams = [];
    private long _streamsKnownFrom;
    private Task _lastWrite = Task.CompletedTask;
    private readonly JournalRecord?[] _recent = new JournalRecord?[RecentCapacity];
    private TaskCompletionSource _nextCommit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TimeSpan _waitCap = TimeSpan.MaxValue;

    public HallJournal(string hallId, IJournalStore store, HallMetrics? metrics = null, TimeProvider? time = null)
    {
        HallId = hallId;
        _store = store;
        _metrics = metrics;
        _time = time ?? TimeProvider.System;
    }

    public string HallId { get; }

    /// <summary>The last event known to be durable.</summary>
    public long DurableSeq => Volatile.Read(ref _durableSeq);

    /// <summary>The last durable event and its hash as this journal wrote or loaded it (null before either).</summary>
    public (long Seq, string? Hash) DurableTail()
    {
        lock (_subscribers)
        {
            return (_durableSeq, _durableHash);
        }
    }

    /// <summary>
    /// Appends <paramref name="events"/> atomically, all at <paramref name="at"/> by <paramref name="actor"/> (or by
    /// the request's <see cref="Acting.Caller"/> when the edge named one), and returns their records once durable. Throws <see cref="JournalUnavailableException"/> when the write
    /// failed; then none of them is stored. With <paramref name="epoch"/>, the events are refused rather than
    /// sequenced after a write that failed since the store was at that epoch. With <paramref name="expected"/>,
    /// they are refused with <see cref="StaleStreamException"/> when one of those streams has an event after the
    /// position the caller decided on (a request that had timed out was sequenced after all).
    /// </summary>
    public async Task<IReadOnlyList<JournalRecord>> AppendAsync(
        IReadOnlyList<HallEvent> events,
        DateTimeOffset at,
        string actor,
        long? epoch = null,
        IReadOnlyList<StreamPosition>? expected = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(events.Count);
        actor = Acting.Caller ?? actor;

        // Encoding takes the longest and needs no lock; only sequence numbers and hashes do.
        var encoded = events.Select(e => (Event: e, Type: EventCodec.TypeName(e), Data: EventCodec.Encode(e))).ToArray();
        while (true)
        {
            JournalRecord[] records;
            Task write;
            var started = _time.GetTimestamp();
            lock (_lock)
            {
                if (epoch is { } pinned && pinned != _store.Epoch)
                {
                    throw new JournalUnavailableException($"A write to the journal of hall '{HallId}' failed meanwhile; nothing was changed.");
                }

                if (_epoch != _store.Epoch)
                {
                    records = [];
                    write = Task.CompletedTask;
                }
                else
                {
                    EnsureCurrent(expected);
                    records = Sequence(encoded, at, actor);
                    write = _store.AppendAsync(records, _epoch, () => Publish(records));
                    _lastWrite = write;
                }
            }

            if (records.Length == 0)
            {
                await ReloadAsync();
                continue;
            }

            try
            {
                await write;
            }
            catch (JournalForkException fork)
            {
                // Another writer continued this hall's journal: nothing of ours was stored, and what we sequenced
                // after it will be refused too. Reload the tail before sequencing anything else.
                lock (_lock)
                {
                    _epoch = -1;
                }

                throw new JournalUnavailableException($"The journal of hall '{HallId}' was written by another writer meanwhile; nothing was changed.", JournalUnavailableException.Describe(fork));
            }
            catch (StorageUnavailableException storage)
            {
                throw new JournalUnavailableException($"Storage is unavailable ({storage.Reason}): the journal of hall '{HallId}' could not be written; nothing was changed. Writes resume by themselves once storage is back.", JournalUnavailableException.Describe(storage.InnerException ?? storage));
            }
            catch (Exception exception) when (exception is not JournalUnavailableException)
            {
                throw new JournalUnavailableException($"The journal of hall '{HallId}' could not be written; nothing was changed.", JournalUnavailableException.Describe(exception));
            }

            _metrics?.RecordJournalAppend(HallId, _time.GetElapsedTime(started));
            return records;
        }
    }

    /// <summary>
    /// Throws <see cref="StaleStreamException"/> if one of the streams has an event after its expected position.
    /// Judges nothing while a failed write waits for the tail to be reloaded: the append reloads and judges then.
    /// </summary>
    public void EnsureCurrent(IReadOnlyList<StreamPosition>? expected)
    {
        lock (_lock)
        {
            if (_epoch != _store.Epoch)
            {
                return;
            }

            foreach (var position in expected ?? [])
            {
                var last = LastOfLocked(position.Stream);
                if (last > position.AfterSeq)
                {
                    throw new StaleStreamException(position.Stream, last);
                }
            }
        }
    }

    /// <summary>The last event sequenced for <paramref name="stream"/> (or an upper bound of it after a reload).</summary>
    public long LastOf(JournalStream stream)
    {
        lock (_lock)
        {
            return LastOfLocked(stream);
        }
    }

    /// <summary>Under <see cref="_lock"/>: a stream this journal has not sequenced since its reload may have events up to the tail.</summary>
    private long LastOfLocked(JournalStream stream) => _streams.GetValueOrDefault(stream, _streamsKnownFrom);

    /// <summary>The last event in the store, whichever process wrote it.</summary>
    public async Task<long> ReadDurableEndAsync(CancellationToken cancellationToken = default) =>
        (await _store.ReadTailAsync(HallId, cancellationToken)).Seq;

    /// <summary>Completes once every append sequenced so far has been committed or has failed.</summary>
    public Task WhenSettledAsync()
    {
        Task last;
        lock (_lock)
        {
            last = _lastWrite;
        }

        return last.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public Task<IReadOnlyList<JournalRecord>> ReadAsync(JournalQuery query, CancellationToken cancellationToken = default) =>
        _store.ReadAsync(HallId, query, cancellationToken);

    /// <summary>
    /// Reads the whole journal and re-computes every hash and link. <paramref name="anchors"/> are hashes the
    /// caller recorded for some events (the hall's checkpoint holds the last one it applied): an edit that
    /// re-computed the hashes after it is still caught there.
    /// </summary>
    public async Task<JournalVerification> VerifyAsync(IReadOnlyCollection<(long Seq, string Hash)>? anchors = null, CancellationToken cancellationToken = default)
    {
        var expectedSeq = 1L;
        var previous = JournalHash.Genesis;
        while (true)
        {
            var page = await _store.ReadAsync(HallId, new JournalQuery { AfterSeq = expectedSeq - 1, Limit = 5000 }, cancellationToken);
            foreach (var record in page)
            {
                var problem = record.Seq != expectedSeq ? $"expected event {expectedSeq}, found {record.Seq}"
                    : record.PrevHash != previous ? "its link to the previous event does not match"
                    : JournalHash.Compute(record) != record.Hash ? "its content does not match its hash"
                    : anchors?.Any(a => a.Seq == record.Seq && a.Hash != record.Hash) == true ? "its hash is not the one the hall recorded when it happened"
                    : !record.Decodes() ? $"its '{record.Type}' data cannot be decoded"
                    : null;
                if (problem is not null)
                {
                    return new JournalVerification
                    {
                        Ok = false,
                        Events = expectedSeq - 1,
                        FirstBadSeq = expectedSeq,
                        Problem = $"Event {expectedSeq}: {problem}.",
                        LastSeq = expectedSeq - 1,
                        LastHash = previous,
                    };
                }

                previous = record.Hash;
                expectedSeq++;
            }

            if (page.Count < 5000)
            {
                return new JournalVerification { Ok = true, Events = expectedSeq - 1, LastSeq = expectedSeq - 1, LastHash = previous };
            }
        }
    }

    /// <summary>Commits a subscriber may fall behind by before newer ones are dropped for it.</summary>
    public const int SubscriberBacklog = 4096;

    /// <summary>
    /// Committed records in sequence order, from now on, until the subscription is disposed. A subscriber that
    /// falls <see cref="SubscriberBacklog"/> commits behind loses the newest ones rather than growing without
    /// bound; it sees the gap in sequence numbers and heals it from the journal (projections) or a fresh
    /// snapshot (browsers), and the journal's writers never wait for it.
    /// </summary>
    public JournalSubscription Subscribe()
    {
        var channel = Channel.CreateBounded<IReadOnlyList<JournalRecord>>(new BoundedChannelOptions(SubscriberBacklog)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.DropWrite,
        });
        lock (_subscribers)
        {
            _subscribers.Add(channel);
        }

        return new JournalSubscription(channel.Reader, () =>
        {
            lock (_subscribers)
            {
                _subscribers.Remove(channel);
            }

            channel.Writer.TryComplete();
        });
    }

    /// <summary>How many of the latest committed records the journal keeps in memory for its followers.</summary>
    public const int RecentCapacity = 8192;

    /// <summary>
    /// Completes once an event after <paramref name="afterSeq"/> is durable, or when <paramref name="wait"/> has
    /// passed (wall-clock: a follower's poll interval, not domain time), whichever comes first.
    /// </summary>
    public Task WaitPastAsync(long afterSeq, TimeSpan wait)
    {
        Task next;
        lock (_subscribers)
        {
            if (_durableSeq > afterSeq)
            {
                return Task.CompletedTask;
            }

            next = _nextCommit.Task;
            wait = wait < _waitCap ? wait : _waitCap;
        }

        return next.WaitAsync(wait).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// Ends the followers' waits now and keeps later ones short: the silo is stopping, and Orleans deactivates a
    /// grain only once its running requests are done, so a waiting poll would hold up the hall's hand-over.
    /// </summary>
    public void ReleaseFollowers(TimeSpan cap)
    {
        lock (_subscribers)
        {
            _waitCap = cap;
            var waiting = _nextCommit;
            _nextCommit = new(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting.SetResult();
        }
    }

    /// <summary>Ends the followers' current waits (they find nothing new and poll again): the hall is about to deactivate.</summary>
    public void WakeFollowers()
    {
        lock (_subscribers)
        {
            var waiting = _nextCommit;
            _nextCommit = new(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting.SetResult();
        }
    }

    /// <summary>
    /// The committed records after <paramref name="afterSeq"/>, at most <paramref name="limit"/>, from memory when
    /// the journal still holds them all, else from the store.
    /// </summary>
    public async Task<IReadOnlyList<JournalRecord>> ReadCommittedAsync(long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        lock (_subscribers)
        {
            var count = (int)Math.Min(limit, _durableSeq - afterSeq);
            if (count <= 0)
            {
                return [];
            }

            var records = new JournalRecord[count];
            for (var i = 0; i < count; i++)
            {
                var seq = afterSeq + 1 + i;
                var record = _recent[seq % RecentCapacity];
                if (record?.Seq != seq)
                {
                    records = null;
                    break;
                }

                records[i] = record;
            }

            if (records is not null)
            {
                return records;
            }
        }

        return await _store.ReadAsync(HallId, new JournalQuery { AfterSeq = afterSeq, Limit = limit }, cancellationToken);
    }

    /// <summary>Loads the tail from the store; done before the first append and after a failed write.</summary>
    public async Task ReloadAsync()
    {
        await _reload.WaitAsync();
        try
        {
            var epoch = _store.Epoch;
            lock (_lock)
            {
                if (_epoch == epoch)
                {
                    return;
                }
            }

            var tail = await _store.ReadTailAsync(HallId);
            lock (_lock)
            {
                _seq = tail.Seq;
                _hash = tail.Hash;
                _epoch = epoch;

                // What this journal sequenced before is no longer a guide (a failed write's numbers are used again);
                // a stream it has not sequenced since may have events up to the tail.
                _streams.Clear();
                _streamsKnownFrom = tail.Seq;
                lock (_subscribers)
                {
                    if (tail.Seq >= _durableSeq)
                    {
                        _durableHash = tail.Seq == 0 ? null : tail.Hash;
                        Volatile.Write(ref _durableSeq, tail.Seq);
                        var committed = _nextCommit;
                        _nextCommit = new(TaskCreationOptions.RunContinuationsAsynchronously);
                        committed.SetResult();
                    }
                }
            }
        }
        finally
        {
            _reload.Release();
        }
    }

    private JournalRecord[] Sequence((HallEvent Event, string Type, string Data)[] events, DateTimeOffset at, string actor)
    {
        var records = new JournalRecord[events.Length];
        for (var i = 0; i < events.Length; i++)
        {
            var (hallEvent, type, data) = events[i];
            var seq = _seq + 1;
            var hash = JournalHash.Compute(_hash, HallId, seq, at, type, actor, data);
            records[i] = new JournalRecord(HallId, seq, at, type, actor, data, hash, _hash) { Event = hallEvent };
            _seq = seq;
            _hash = hash;
            var (queue, window) = JournalStream.Of(hallEvent);
            if (queue is not null)
            {
                _streams[queue] = seq;
            }

            if (window is not null)
            {
                _streams[window] = seq;
            }
        }

        return records;
    }

    private void Publish(IReadOnlyList<JournalRecord> records)
    {
        lock (_subscribers)
        {
            Volatile.Write(ref _durableHash, records[^1].Hash);
            Volatile.Write(ref _durableSeq, records[^1].Seq);
            foreach (var record in records)
            {
                _recent[record.Seq % RecentCapacity] = record;
            }

            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(records);
            }

            var committed = _nextCommit;
            _nextCommit = new(TaskCreationOptions.RunContinuationsAsynchronously);
            committed.SetResult();
        }
    }
}

/// <summary>A live feed of a hall's committed journal records.</summary>
public sealed class JournalSubscription(ChannelReader<IReadOnlyList<JournalRecord>> reader, Action unsubscribe) : IDisposable
{
    public ChannelReader<IReadOnlyList<JournalRecord>> Reader { get; } = reader;

    public void Dispose() => unsubscribe();
}

/// <summary>The journals of all halls, one <see cref="HallJournal"/> per hall.</summary>
public sealed class HallJournals(IJournalStore store, HallMetrics? metrics = null)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, HallJournal> _journals = new(StringComparer.Ordinal);

    private TimeSpan? _followerCap;

    public IJournalStore Store => store;

    public HallJournal Get(string hallId) => _journals.GetOrAdd(hallId, id =>
    {
        var journal = new HallJournal(id, store, metrics);
        if (_followerCap is { } cap)
        {
            journal.ReleaseFollowers(cap);
        }

        return journal;
    });

    /// <summary>The silo is stopping: every journal ends its followers' waits and keeps later ones under <paramref name="cap"/>.</summary>
    public void ReleaseFollowers(TimeSpan cap)
    {
        _followerCap = cap;
        foreach (var journal in _journals.Values)
        {
            journal.ReleaseFollowers(cap);
        }
    }
}
