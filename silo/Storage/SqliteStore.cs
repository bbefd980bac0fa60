using System.Globalization;
using System.Threading.Channels;
using HallMonitor.Grains;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace HallMonitor.Silo;

/// <summary>
/// The embedded database: one SQLite file in WAL mode holding the hall journals, the grain checkpoints and
/// the report facts.
/// </summary>
/// <remarks>
/// All writes go through one connection and one queue. The writer takes everything queued, runs it in
/// one transaction and commits once, so a single fsync acknowledges many commands (group commit). Writes
/// commit in the order they were queued. When a transaction fails, the epoch rises and journal appends
/// queued under the old epoch are refused, so that no journal can continue past a lost write.
/// Reads use their own pooled connections and see every committed write.
/// <para>
/// When the data folder is full or read-only, SQLite fails the transaction (SQLITE_FULL when the WAL cannot grow;
/// SQLITE_IOERR when the file system turned read-only under the open file, SQLITE_READONLY when it was so at open)
/// and rolls it back; the connection stays
/// usable, so the next transaction simply tries again and succeeds once space returns. The writes of a failed
/// transaction fail with <see cref="StorageUnavailableException"/>, and <see cref="WriteFailure"/> keeps the
/// reason until a transaction commits again, for the readiness check.
/// </para>
/// </remarks>
public sealed partial class SqliteStore : IAsyncDisposable, IWritableStore
{
    private const int MaxBatch = 2048;
    private readonly Channel<SqliteWrite> _queue = Channel.CreateUnbounded<SqliteWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _readConnectionString;
    private readonly SqliteConnection _writer;
    private readonly WriterCommands _commands;
    private readonly Task _writerLoop;
    private readonly ILogger _logger;
    private long _epoch;
    private StorageUnavailableException? _writeFailure;

    public SqliteStore(string path, string synchronous, ILogger<SqliteStore> logger)
    {
        _logger = logger;
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var builder = new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false };
        _writer = new SqliteConnection(builder.ToString());
        _writer.Open();
        Execute(_writer, $"""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = {(synchronous.Equals("normal", StringComparison.OrdinalIgnoreCase) ? "NORMAL" : "FULL")};
            PRAGMA busy_timeout = 5000;
            PRAGMA foreign_keys = OFF;
            CREATE TABLE IF NOT EXISTS journal (
                hall TEXT NOT NULL,
                seq INTEGER NOT NULL,
                at TEXT NOT NULL,
                at_ms INTEGER NOT NULL,
                type TEXT NOT NULL,
                actor TEXT NOT NULL,
                ticket_id TEXT,
                window_id TEXT,
                matter_code TEXT,
                data TEXT NOT NULL,
                hash TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                PRIMARY KEY (hall, seq)
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS journal_by_ticket ON journal (hall, ticket_id, seq) WHERE ticket_id IS NOT NULL;
            CREATE INDEX IF NOT EXISTS journal_by_window ON journal (hall, window_id, seq) WHERE window_id IS NOT NULL;
            CREATE INDEX IF NOT EXISTS journal_by_matter ON journal (hall, matter_code, seq) WHERE matter_code IS NOT NULL;
            CREATE TABLE IF NOT EXISTS ticket_facts (
                hall TEXT NOT NULL,
                ticket_id TEXT NOT NULL,
                service_day TEXT NOT NULL,
                data TEXT NOT NULL,
                PRIMARY KEY (hall, ticket_id)
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS ticket_facts_by_day ON ticket_facts (hall, service_day);
            CREATE TABLE IF NOT EXISTS report_positions (
                hall TEXT NOT NULL PRIMARY KEY,
                position INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS grain_state (
                state_name TEXT NOT NULL,
                grain_id TEXT NOT NULL,
                etag TEXT NOT NULL,
                data TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (state_name, grain_id)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS write_probe (
                id INTEGER NOT NULL PRIMARY KEY,
                at TEXT NOT NULL
            );
            """);
        _commands = new WriterCommands(_writer);
        _readConnectionString = new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadOnly, Pooling = true }.ToString();
        _writerLoop = Task.Factory.StartNew(WriteLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Rises after every failed transaction.</summary>
    public long Epoch => Volatile.Read(ref _epoch);

    /// <summary>Why the last transaction failed, or null once one has committed since.</summary>
    public StorageUnavailableException? WriteFailure => Volatile.Read(ref _writeFailure);

    /// <summary>Commits one tiny write through the writer's queue; throws if storage still cannot take it.</summary>
    public Task ProbeWriteAsync() => Enqueue(new ProbeWrite());

    /// <summary>Commits so far (each one fsync), for measurements.</summary>
    public long Commits { get; private set; }

    /// <summary>Queues a write; it completes when its transaction has committed.</summary>
    internal Task Enqueue(SqliteWrite write)
    {
        if (!_queue.Writer.TryWrite(write))
        {
            return Task.FromException(new ObjectDisposedException(nameof(SqliteStore)));
        }

        return write.Completion;
    }

    /// <summary>A pooled read-only connection, open.</summary>
    internal SqliteConnection OpenRead()
    {
        var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writerLoop;
        _commands.Dispose();
        _writer.Dispose();
        SqliteConnection.ClearAllPools();
    }

    /// <summary>
    /// Runs on its own thread for the life of the store and blocks on purpose: each commit's fsync should hold
    /// this thread, never one of the thread pool's.
    /// </summary>
    private void WriteLoop()
    {
        var batch = new List<SqliteWrite>(MaxBatch);
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            Commit(batch);
        }
    }

    private void Commit(List<SqliteWrite> batch)
    {
        var epoch = Epoch;
        try
        {
            using (var transaction = _writer.BeginTransaction(deferred: false))
            {
                foreach (var write in batch)
                {
                    write.Execute(_commands, transaction, epoch);
                }

                transaction.Commit();
            }

            Commits++;
        }
        catch (Exception exception)
        {
            Interlocked.Increment(ref _epoch);
            var failure = Unavailable(exception);
            Volatile.Write(ref _writeFailure, failure);
            LogCommitFailed(_logger, exception, batch.Count, failure.Reason);
            foreach (var write in batch)
            {
                write.Fail(failure);
            }

            return;
        }

        Volatile.Write(ref _writeFailure, null);
        foreach (var write in batch)
        {
            write.Complete();
        }
    }

    /// <summary>What a failed transaction means for an operator, from SQLite's primary result code.</summary>
    private static StorageUnavailableException Unavailable(Exception exception) => new(
        (exception as SqliteException)?.SqliteErrorCode switch
        {
            SQLitePCL.raw.SQLITE_FULL => "the data folder is full",
            SQLitePCL.raw.SQLITE_READONLY => "the data folder is read-only",
            SQLitePCL.raw.SQLITE_IOERR => "the data folder cannot be written: read-only or failing",
            SQLitePCL.raw.SQLITE_CANTOPEN => "the database file cannot be opened",
            _ => "the database refused the write",
        },
        exception);

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    internal static string Now() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Error, Message = "A transaction of {Count} writes failed ({Reason}); none of them is stored")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, int count, string reason);

    /// <summary>Stamps the one row of <c>write_probe</c>: a write as small as any, to learn whether storage takes writes again.</summary>
    private sealed class ProbeWrite : SqliteWrite
    {
        public override void Execute(WriterCommands commands, SqliteTransaction transaction, long epoch) =>
            commands.Get(
                "INSERT INTO write_probe (id, at) VALUES (1, $now) ON CONFLICT (id) DO UPDATE SET at = excluded.at",
                transaction,
                ("$now", Now())).ExecuteNonQuery();
    }
}

/// <summary>One queued write: runs inside the writer's transaction and completes after the commit.</summary>
internal abstract class SqliteWrite : QueuedWrite
{
    /// <summary>Runs the write. Throwing aborts the whole transaction; <see cref="QueuedWrite.Refuse"/> fails only this write.</summary>
    public abstract void Execute(WriterCommands commands, SqliteTransaction transaction, long epoch);

}

/// <summary>The writer connection's commands, prepared once and reused with new parameter values.</summary>
internal sealed class WriterCommands(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteCommand Get(string sql, SqliteTransaction transaction, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, _) in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            _commands[sql] = command;
        }

        command.Transaction = transaction;
        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
        }

        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
    }
}
