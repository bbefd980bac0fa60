using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HallMonitor.Grains;

/// <summary>
/// The hash chain of a journal: each event's hash covers the previous event's hash and every stored field
/// of the event, so editing, removing or reordering any event breaks every hash after it.
/// </summary>
public static class JournalHash
{
    /// <summary>The "previous hash" of a journal's first event.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>The canonical text of <c>at</c>: round-trip ISO-8601 with the hall's offset.</summary>
    public static string FormatTime(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);

    public static string Compute(string prevHash, string hallId, long seq, DateTimeOffset at, string type, string actor, string data)
    {
        var text = string.Join(
            '\n',
            prevHash,
            hallId,
            seq.ToString(CultureInfo.InvariantCulture),
            FormatTime(at),
            type,
            actor,
            data);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return Convert.ToHexStringLower(hash);
    }

    public static string Compute(JournalRecord record) =>
        Compute(record.PrevHash, record.HallId, record.Seq, record.At, record.Type, record.Actor, record.Data);
}
