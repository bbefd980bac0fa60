using System.Text.Json.Serialization;

namespace HallMonitor.Grains;

/// <summary>
/// One event of a hall's journal as stored: sequence number, time, actor, the event's data as JSON text,
/// and the hash chaining it to the previous event.
/// </summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.JournalRecord")]
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
    /// <summary>Decoded once, where it is needed: the event crosses grain boundaries as <see cref="Data"/>.</summary>
    [NonSerialized]
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
[GenerateSerializer, Immutable, Alias("HallMonitor.JournalPage")]
public sealed record JournalPage(IReadOnlyList<JournalEntry> Events, long? NextSeq);

/// <summary>A journal event as the API shows it.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.JournalEntry")]
public sealed record JournalEntry(
    long Seq,
    DateTimeOffset At,
    string Type,
    string Actor,
    [property: JsonConverter(typeof(RawJsonConverter))] string Data,
    string Hash,
    string PrevHash)
{
    public static JournalEntry From(JournalRecord record) =>
        new(record.Seq, record.At, record.Type, record.Actor, record.Data, record.Hash, record.PrevHash);
}

/// <summary>The outcome of re-computing a journal's hash chain.</summary>
[GenerateSerializer, Immutable, Alias("HallMonitor.JournalVerification")]
public sealed record JournalVerification
{
    [Id(0)]
    public bool Ok { get; init; }

    /// <summary>Events checked.</summary>
    [Id(1)]
    public long Events { get; init; }

    /// <summary>The first event whose hash, link or sequence number is wrong.</summary>
    [Id(2)]
    public long? FirstBadSeq { get; init; }

    [Id(3)]
    public string? Problem { get; init; }

    [Id(4)]
    public long LastSeq { get; init; }

    [Id(5)]
    public string? LastHash { get; init; }
}
