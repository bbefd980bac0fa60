using System.Globalization;
using System.Text;
using HallMonitor.Grains;
using Npgsql;

namespace HallMonitor.Silo;

/// <summary>
/// Hall journals in PostgreSQL, indexed by ticket, window and matter. A hall's row in <c>journal_tail</c> holds
/// its last stored event; an append moves it only from the event it continues, so of two silos writing one
/// hall the second is refused by the database itself.
/// </summary>
public sealed class PostgresJournalStore(PostgresStore store) : IJournalStore
{
    private const string Columns = "hall, seq, at, type, actor, data, hash, prev_hash";
    private const string TailSql = "SELECT seq, hash FROM journal_tail WHERE hall = @hall";

    public long Epoch => store.Epoch;

    public async Task<JournalTail> ReadTailAsync(string hallId, CancellationToken cancellationToken = default)
    {
        await using var command = store.DataSource.CreateCommand(TailSql);
        return await ReadTailAsync(command, hallId, cancellationToken);
    }

    public Task AppendAsync(IReadOnlyList<JournalRecord> records, long epoch, Action committed) =>
        store.Enqueue(new AppendWrite(records, epoch, committed));

    public async Task<IReadOnlyList<JournalRecord>> ReadAsync(string hallId, JournalQuery query, CancellationToken cancellationToken = default)
    {
        var sql = new StringBuilder($"SELECT {Columns} FROM journal WHERE hall = @hall");
        await using var command = store.DataSource.CreateCommand();
        command.Parameters.AddWithValue("hall", hallId);
        Filter(sql, command, "ticket_id", query.TicketId);
        Filter(sql, command, "window_id", query.WindowId);
        Filter(sql, command, "matter_code", query.Matter);
        sql.Append(" AND seq > @after ORDER BY seq LIMIT @limit");
        command.Parameters.AddWithValue("after", query.AfterSeq);
        command.Parameters.AddWithValue("limit", (long)query.Limit);
        command.CommandText = sql.ToString();

        var records = new List<JournalRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new JournalRecord(
                reader.GetString(0),
                reader.GetInt64(1),
                DateTimeOffset.ParseExact(reader.GetString(2), "O", CultureInfo.InvariantCulture),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6),
                reader.GetString(7)));
        }

        return records;
    }

    private static async Task<JournalTail> ReadTailAsync(NpgsqlCommand command, string hallId, CancellationToken cancellationToken)
    {
        command.Parameters.AddWithValue("hall", hallId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new JournalTail(reader.GetInt64(0), reader.GetString(1)) : new JournalTail(0, JournalHash.Genesis);
    }

    private static void Filter(StringBuilder sql, NpgsqlCommand command, string column, string? value)
    {
        if (value is not null)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND {column} = @{column}");
            command.Parameters.AddWithValue(column, value);
        }
    }

    /// <summary>
    /// One append: moves the hall's tail from the event the records continue to their last one, and inserts the
    /// records only if it moved — one statement, so a refused append stores nothing and aborts nothing else.
    /// </summary>
    private sealed class AppendWrite(IReadOnlyList<JournalRecord> records, long epoch, Action committed) : PostgresWrite
    {
        private const string Rows = """
            INSERT INTO journal (hall, seq, at, at_utc, type, actor, ticket_id, window_id, matter_code, data, hash, prev_hash)
            SELECT tail.hall, r.* FROM tail, unnest(@seq, @at, @at_utc, @type, @actor, @ticket, @window, @matter, @data, @hash, @links) AS r
            """;

        /// <summary>A journal's first append: the hall has no tail yet and the records start from the genesis hash.</summary>
        private const string First = $"""
            WITH tail AS (
                INSERT INTO journal_tail (hall, seq, hash) SELECT @hall, @last_seq, @last_hash WHERE @prev_hash = @genesis
                ON CONFLICT (hall) DO NOTHING
                RETURNING hall)
            {Rows}
            """;

        private const string Next = $"""
            WITH tail AS (
                UPDATE journal_tail SET seq = @last_seq, hash = @last_hash
                WHERE hall = @hall AND seq = @prev_seq AND hash = @prev_hash
                RETURNING hall)
            {Rows}
            """;

        private NpgsqlBatchCommand? _command;

        private string HallId => records[0].HallId;

        public override string LockOrder => "journal " + HallId;

        public override bool Stage(long currentEpoch)
        {
            if (epoch != currentEpoch)
            {
                Refuse(new JournalUnavailableException("The journal was reset after a failed write; sequence again."));
                return false;
            }

            return true;
        }

        public override void AddCommands(NpgsqlBatch batch)
        {
            var first = records[0];
            var last = records[^1];
            var keys = records.Select(r => JournalKeys.Of(r.Event)).ToArray();
            _command = new NpgsqlBatchCommand(first.Seq == 1 ? First : Next)
            {
                Parameters =
                {
                    new("hall", HallId),
                    new("prev_seq", first.Seq - 1),
                    new("prev_hash", first.PrevHash),
                    new("genesis", JournalHash.Genesis),
                    new("last_seq", last.Seq),
                    new("last_hash", last.Hash),
                    new("seq", records.Select(r => r.Seq).ToArray()),
                    new("at", records.Select(r => JournalHash.FormatTime(r.At)).ToArray()),
                    new("at_utc", records.Select(r => r.At.UtcDateTime).ToArray()),
                    new("type", records.Select(r => r.Type).ToArray()),
                    new("actor", records.Select(r => r.Actor).ToArray()),
                    new("ticket", keys.Select(k => k.TicketId).ToArray()),
                    new("window", keys.Select(k => k.WindowId).ToArray()),
                    new("matter", keys.Select(k => k.Matter).ToArray()),
                    new("data", records.Select(r => r.Data).ToArray()),
                    new("hash", records.Select(r => r.Hash).ToArray()),
                    new("links", records.Select(r => r.PrevHash).ToArray()),
                },
            };
            batch.BatchCommands.Add(_command);
        }

        public override async ValueTask JudgeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
        {
            var stored = _command!.RecordsAffected;
            if (stored == records.Count)
            {
                return;
            }

            if (stored != 0)
            {
                throw new InvalidOperationException($"Hall '{HallId}': {stored} of {records.Count} events were stored.");
            }

            // Refused: the tail another writer left, for the message (the hall reloads it itself).
            await using var command = new NpgsqlCommand(TailSql, connection, transaction);
            var tail = await ReadTailAsync(command, HallId, CancellationToken.None);
            Refuse(JournalForkException.Check(tail, records[0])
                ?? new JournalForkException($"Hall '{HallId}': event {records[0].Seq} does not continue the stored journal."));
        }

        protected override void OnCommitted() => committed();
    }
}
