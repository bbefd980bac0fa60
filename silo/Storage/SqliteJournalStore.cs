using System.Globalization;
using System.Text;
using HallMonitor.Grains;
using Microsoft.Data.Sqlite;

namespace HallMonitor.Silo;

/// <summary>Hall journals in the embedded SQLite database, indexed by ticket, window and matter.</summary>
public sealed class SqliteJournalStore(SqliteStore store) : IJournalStore
{
    private const string Columns = "hall, seq, at, type, actor, data, hash, prev_hash";

    public long Epoch => store.Epoch;

    public Task<JournalTail> ReadTailAsync(string hallId, CancellationToken cancellationToken = default)
    {
        using var connection = store.OpenRead();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, hash FROM journal WHERE hall = $hall ORDER BY seq DESC LIMIT 1";
        command.Parameters.AddWithValue("$hall", hallId);
        using var reader = command.ExecuteReader();
        return Task.FromResult(reader.Read() ? new JournalTail(reader.GetInt64(0), reader.GetString(1)) : new JournalTail(0, JournalHash.Genesis));
    }

    public Task AppendAsync(IReadOnlyList<JournalRecord> records, long epoch, Action committed) =>
        store.Enqueue(new AppendWrite(records, epoch, committed));

    public Task<IReadOnlyList<JournalRecord>> ReadAsync(string hallId, JournalQuery query, CancellationToken cancellationToken = default)
    {
        var sql = new StringBuilder($"SELECT {Columns} FROM journal WHERE hall = $hall");
        using var connection = store.OpenRead();
        using var command = connection.CreateCommand();
        command.Parameters.AddWithValue("$hall", hallId);
        Filter(sql, command, "ticket_id", "$ticket", query.TicketId);
        Filter(sql, command, "window_id", "$window", query.WindowId);
        Filter(sql, command, "matter_code", "$matter", query.Matter);
        sql.Append(" AND seq > $after ORDER BY seq LIMIT $limit");
        command.Parameters.AddWithValue("$after", query.AfterSeq);
        command.Parameters.AddWithValue("$limit", query.Limit);
        command.CommandText = sql.ToString();

        var records = new List<JournalRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            records.Add(Read(reader));
        }

        return Task.FromResult<IReadOnlyList<JournalRecord>>(records);
    }

    internal static JournalRecord Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetInt64(1),
        DateTimeOffset.ParseExact(reader.GetString(2), "O", CultureInfo.InvariantCulture),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetString(5),
        reader.GetString(6),
        reader.GetString(7));

    private static void Filter(StringBuilder sql, SqliteCommand command, string column, string parameter, string? value)
    {
        if (value is not null)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND {column} = {parameter}");
            command.Parameters.AddWithValue(parameter, value);
        }
    }

    private sealed class AppendWrite(IReadOnlyList<JournalRecord> records, long epoch, Action committed) : SqliteWrite
    {
        private const string Insert = """
            INSERT INTO journal (hall, seq, at, at_ms, type, actor, ticket_id, window_id, matter_code, data, hash, prev_hash)
            VALUES ($hall, $seq, $at, $at_ms, $type, $actor, $ticket, $window, $matter, $data, $hash, $prev_hash)
            """;

        public override void Execute(WriterCommands commands, SqliteTransaction transaction, long currentEpoch)
        {
            if (epoch != currentEpoch)
            {
                Refuse(new JournalUnavailableException("The journal was reset after a failed write; sequence again."));
                return;
            }

            // Sees the rows of earlier appends in this transaction: a group commit checks each link in turn.
            var last = commands.Get("SELECT seq, hash FROM journal WHERE hall = $hall ORDER BY seq DESC LIMIT 1", transaction, ("$hall", records[0].HallId));
            using (var reader = last.ExecuteReader())
            {
                var tail = reader.Read() ? new JournalTail(reader.GetInt64(0), reader.GetString(1)) : new JournalTail(0, JournalHash.Genesis);
                if (JournalForkException.Check(tail, records[0]) is { } fork)
                {
                    Refuse(fork);
                    return;
                }
            }

            foreach (var record in records)
            {
                var keys = JournalKeys.Of(record.Event);
                commands.Get(
                    Insert,
                    transaction,
                    ("$hall", record.HallId),
                    ("$seq", record.Seq),
                    ("$at", JournalHash.FormatTime(record.At)),
                    ("$at_ms", record.At.ToUnixTimeMilliseconds()),
                    ("$type", record.Type),
                    ("$actor", record.Actor),
                    ("$ticket", keys.TicketId),
                    ("$window", keys.WindowId),
                    ("$matter", keys.Matter),
                    ("$data", record.Data),
                    ("$hash", record.Hash),
                    ("$prev_hash", record.PrevHash)).ExecuteNonQuery();
            }
        }

        protected override void OnCommitted() => committed();
    }
}
