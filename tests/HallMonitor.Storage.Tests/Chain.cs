namespace HallMonitor.Storage.Tests;

/// <summary>Journal records made by hand, hashed and linked as a hall's journal makes them, for the store's contract.</summary>
internal static class Chain
{
    /// <summary>09:00 on Monday 23 November 2026 in Asia/Shanghai, with the hall's offset.</summary>
    public static readonly DateTimeOffset At = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(8));

    /// <summary>Records for <paramref name="events"/> continuing the chain at <paramref name="afterSeq"/> / <paramref name="afterHash"/>.</summary>
    public static JournalRecord[] After(string hall, long afterSeq, string afterHash, params HallEvent[] events)
    {
        var records = new JournalRecord[events.Length];
        var (seq, hash) = (afterSeq, afterHash);
        for (var i = 0; i < events.Length; i++)
        {
            var type = EventCodec.TypeName(events[i]);
            var data = EventCodec.Encode(events[i]);
            var at = At.AddMinutes(seq);
            var next = JournalHash.Compute(hash, hall, seq + 1, at, type, "tester", data);
            records[i] = new JournalRecord(hall, seq + 1, at, type, "tester", data, next, hash);
            (seq, hash) = (seq + 1, next);
        }

        return records;
    }

    /// <summary>Records starting a journal.</summary>
    public static JournalRecord[] First(string hall, params HallEvent[] events) => After(hall, 0, JournalHash.Genesis, events);

    /// <summary>Records continuing <paramref name="tail"/>.</summary>
    public static JournalRecord[] After(string hall, JournalTail tail, params HallEvent[] events) => After(hall, tail.Seq, tail.Hash, events);

    public static WindowOpened Opened(string window) => new(window, $"clerk{window}");

    public static Task AppendAsync(this IJournalStore store, IReadOnlyList<JournalRecord> records) => store.AppendAsync(records, store.Epoch, () => { });

    /// <summary>What a store keeps of a record, its time as text with the offset (a record's own equality also compares the decoded event).</summary>
    public static IEnumerable<string> Stored(this IEnumerable<JournalRecord> records) =>
        records.Select(r => string.Join('|', r.HallId, r.Seq, JournalHash.FormatTime(r.At), r.Type, r.Actor, r.Data, r.Hash, r.PrevHash));

    /// <summary>Every stored event of a hall.</summary>
    public static Task<IReadOnlyList<JournalRecord>> ReadAllAsync(this IJournalStore store, string hall) =>
        store.ReadAsync(hall, new JournalQuery { Limit = int.MaxValue });
}
