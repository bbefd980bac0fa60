using System.Text.Json;
using System.Text.Json.Serialization;

namespace HallMonitor.Grains;

/// <summary>
/// One event of a hall's journal as stored: sequence number, time, actor, the event's data as JSON text,
/// and the hash chaining it to the previous event.
/// </summary>
public sealed record JournalRecord(
    string HallId,
    long Seq,
    DateTimeOffset At,
    string Type,
    string Actor,
    string Data,
    string Hash,
    string PrevHash)
{
    private HallEvent? _event;

    /// <summary>The decoded event.</summary>
    [JsonIgnore]
    public HallEvent Event
    {
        get => _event ??= EventCodec.Decode(Type, Data);
        init => _event = value;
    }
}

/// <summary>A page of the journal for auditors.</summary>
public sealed record JournalPage(IReadOnlyList<JournalEntry> Events, long? NextSeq);

/// <summary>A journal event as the API shows it.</summary>
public sealed record JournalEntry(long Seq, DateTimeOffset At, string Type, string Actor, JsonElement Data, string Hash, string PrevHash)
{
    public static JournalEntry From(JournalRecord record)
    {
        using var data = JsonDocument.Parse(record.Data);
        return new JournalEntry(record.Seq, record.At, record.Type, record.Actor, data.RootElement.Clone(), record.Hash, record.PrevHash);
    }
}

/// <summary>The outcome of re-computing a journal's hash chain.</summary>
public sealed record JournalVerification
{
    public bool Ok { get; init; }

    /// <summary>Events checked.</summary>
    public long Events { get; init; }

    /// <summary>The first event whose hash, link or sequence number is wrong.</summary>
    public long? FirstBadSeq { get; init; }

    public string? Problem { get; init; }

    public long LastSeq { get; init; }

    public string? LastHash { get; init; }
}
