namespace HallMonitor.Grains;

/// <summary>Reading stored journal records' events where skipping one would be wrong.</summary>
public static class JournalRecords
{
    /// <summary>
    /// The record's event, or <see cref="JournalCorruptException"/> when its stored data cannot be decoded: skipping
    /// it would give a state or a report that never was.
    /// </summary>
    public static HallEvent Decoded(this JournalRecord record)
    {
        try
        {
            return record.Event;
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or NotSupportedException)
        {
            throw new JournalCorruptException(
                $"Event {record.Seq} of the journal of hall '{record.HallId}' cannot be read (its '{record.Type}' data is damaged); the hall stays unavailable rather than skip it. GET /api/halls/{record.HallId}/journal/verify shows where the journal is broken; restore it from a backup.",
                record.HallId,
                record.Seq);
        }
    }

    /// <summary>Whether the record's stored data decodes (a row whose hash was re-computed after damage still fails here).</summary>
    public static bool Decodes(this JournalRecord record)
    {
        try
        {
            _ = EventCodec.Decode(record.Type, record.Data);
            return true;
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or NotSupportedException)
        {
            return false;
        }
    }
}
