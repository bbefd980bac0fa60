namespace HallMonitor.Grains;

/// <summary>Journal storage in process memory, for tests and throw-away runs. It can be told to fail writes.</summary>
public sealed class MemoryJournalStore : IJournalStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<JournalRecord>> _journals = new(StringComparer.Ordinal);
    private long _epoch;
    private int _failures;

    public long Epoch => Volatile.Read(ref _epoch);

    /// <summary>Makes the next <paramref name="count"/> appends fail as a broken disk would.</summary>
    public void FailNextAppends(int count)
    {
        lock (_lock)
        {
            _failures = count;
        }
    }

    /// <summary>Replaces a stored record, as somebody editing the database behind the journal's back would.</summary>
    public void Tamper(string hallId, long seq, Func<JournalRecord, JournalRecord> edit)
    {
        lock (_lock)
        {
            var journal = _journals[hallId];
            var index = journal.FindIndex(r => r.Seq == seq);
            journal[index] = edit(journal[index]);
        }
    }

    public Task<JournalTail> ReadTailAsync(string hallId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_journals.TryGetValue(hallId, out var journal) && journal.Count > 0
                ? new JournalTail(journal[^1].Seq, journal[^1].Hash)
                : new JournalTail(0, JournalHash.Genesis));
        }
    }

    public Task AppendAsync(IReadOnlyList<JournalRecord> records, long epoch, Action committed)
    {
        lock (_lock)
        {
            if (epoch != _epoch)
            {
                return Task.FromException(new JournalUnavailableException("The journal was reset after a failed write; sequence again."));
            }

            if (_failures > 0)
            {
                _failures--;
                _epoch++;
                return Task.FromException(new IOException("Simulated write failure."));
            }

            var hallId = records[0].HallId;
            if (!_journals.TryGetValue(hallId, out var journal))
            {
                _journals[hallId] = journal = [];
            }

            var tail = journal.Count == 0 ? new JournalTail(0, JournalHash.Genesis) : new JournalTail(journal[^1].Seq, journal[^1].Hash);
            if (JournalForkException.Check(tail, records[0]) is { } fork)
            {
                return Task.FromException(fork);
            }

            journal.AddRange(records.Select(Stored));
            committed();
            return Task.CompletedTask;
        }
    }

    public Task<IReadOnlyList<JournalRecord>> ReadAsync(string hallId, JournalQuery query, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<JournalRecord> result = _journals.TryGetValue(hallId, out var journal)
                ? [.. journal.Where(query.Matches).Take(query.Limit)]
                : [];
            return Task.FromResult(result);
        }
    }

    /// <summary>What a real store would give back: the stored fields, with the event decoded again on demand.</summary>
    private static JournalRecord Stored(JournalRecord record) =>
        new(record.HallId, record.Seq, record.At, record.Type, record.Actor, record.Data, record.Hash, record.PrevHash);
}
