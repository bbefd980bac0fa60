using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace HallMonitor.Silo;

/// <summary>
/// The cluster database: PostgreSQL holding the hall journals, the grain checkpoints and the report facts,
/// shared by every silo.
/// </summary>
/// <remarks>
/// As in <see cref="SqliteStore"/>, all writes of this process go through one queue. The writer takes everything
/// queued, sends it as one <see cref="NpgsqlBatch"/> in one transaction with <c>synchronous_commit = on</c> and
/// commits once (group commit); writes commit in the order they were queued. Every write checks what it
/// continues (a journal's tail, a checkpoint's ETag) in the database itself, so a write refused there — another
/// silo got there first — fails alone and the others of the batch commit. When a transaction fails, the epoch
/// rises and journal appends queued under the old epoch are refused; the writer's connection is dropped and the
/// pool cleared, so the next transaction opens a new connection (the database may have restarted).
/// The schema is created or upgraded when the store is made, under an advisory lock, so silos starting
/// together do it once.
/// </remarks>
public sealed partial class PostgresStore : IAsyncDisposable
{
    private const int MaxBatch = 2048;

    /// <summary>Seconds to wait for a connection: a database that does not answer is reported unready quickly.</summary>
    private const int ConnectTimeoutSeconds = 3;

    /// <summary>Seconds a statement may run; group commits and report reads take milliseconds.</summary>
    private const int CommandTimeoutSeconds = 15;

    /// <summary>
    /// Makes this transaction's commit wait for the WAL flush (<c>synchronous_commit = on</c>) unless the database
    /// asks for more (<c>remote_apply</c>, for a synchronous standby); never less, whatever the role or database says.
    /// </summary>
    private const string DurableCommit = """
        SELECT set_config('synchronous_commit', 'on', true)
        WHERE current_setting('synchronous_commit') IN ('off', 'local', 'remote_write')
        """;

    /// <summary>Connections per silo unless the connection string says otherwise.</summary>
    private const int MaxPoolSize = 20;

    private readonly Channel<PostgresWrite> _queue = Channel.CreateUnbounded<PostgresWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writerLoop;
    private readonly ILogger _logger;
    private long _epoch;
    private long _commits;

    /// <summary>The writer's own connection, kept between commits (its prepared statements with it) until a commit fails.</summary>
    private NpgsqlConnection? _writer;

    public PostgresStore(string connectionString, ILogger<PostgresStore> logger)
    {
        _logger = logger;
        try
        {
            DataSource = new NpgsqlDataSourceBuilder(WithDefaults(connectionString)).Build();
        }
        catch (ArgumentException exception)
        {
            throw new InvalidOperationException($"HallMonitor:Postgres is not a valid Npgsql connection string: {exception.Message}", exception);
        }

        try
        {
            PostgresSchema.Upgrade(DataSource);
        }
        catch (Exception exception)
        {
            DataSource.Dispose();
            throw new InvalidOperationException(
                $"HallMonitor:Postgres: the schema could not be created or upgraded in {Describe(connectionString)}: {exception.Message}", exception);
        }

        _writerLoop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Pooled connections to the database; reads take one each.</summary>
    internal NpgsqlDataSource DataSource { get; }

    /// <summary>Rises after every failed transaction.</summary>
    public long Epoch => Volatile.Read(ref _epoch);

    /// <summary>Transactions committed so far (each one WAL flush), for measurements and tests.</summary>
    public long Commits => Volatile.Read(ref _commits);

    /// <summary>Queues a write; it completes when its transaction has committed.</summary>
    internal Task Enqueue(PostgresWrite write)
    {
        if (!_queue.Writer.TryWrite(write))
        {
            return Task.FromException(new ObjectDisposedException(nameof(PostgresStore)));
        }

        return write.Completion;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writerLoop;
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
        }

        await DataSource.DisposeAsync();
    }

    /// <summary>
    /// Short timeouts unless the connection string sets its own: a database that is down fails a write or a
    /// readiness probe within seconds instead of Npgsql's 15 s connect and 30 s command defaults.
    /// </summary>
    private static string WithDefaults(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("Timeout"))
        {
            builder.Timeout = ConnectTimeoutSeconds;
        }

        if (!given.ContainsKey("Command Timeout"))
        {
            builder.CommandTimeout = CommandTimeoutSeconds;
        }

        // One writer and short reads need few connections; every silo holds a pool, and the server's max_connections
        // (100 by default) is shared by all of them. A read waits (up to the connect timeout) for a pooled connection.
        if (!given.ContainsKey("Maximum Pool Size") && !given.ContainsKey("Max Pool Size"))
        {
            builder.MaxPoolSize = MaxPoolSize;
        }

        // The writer's statements are the same few texts over and over: prepared once per connection.
        if (!given.ContainsKey("Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = 32;
        }

        return builder.ConnectionString;
    }

    /// <summary>Host, port and database of a connection string, never its password.</summary>
    private static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"database '{builder.Database}' on {builder.Host}:{builder.Port}";
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PostgresWrite>(MaxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            await CommitAsync(batch);
        }
    }

    private async Task CommitAsync(List<PostgresWrite> batch)
    {
        var epoch = Epoch;
        try
        {
            // Row locks taken in one order by every silo (journal tails by hall, checkpoints by grain), so two
            // silos' group commits wait for each other instead of deadlocking. The sort is stable: the writes
            // of one hall or grain keep their queue order.
            var staged = batch.Where(write => write.Stage(epoch)).OrderBy(write => write.LockOrder, StringComparer.Ordinal).ToList();
            if (staged.Count > 0)
            {
                var (connection, transaction) = await ExecuteAsync(staged);
                await using var owned = transaction;
                foreach (var write in staged)
                {
                    await write.JudgeAsync(connection, transaction);
                }

                await transaction.CommitAsync();
                Interlocked.Increment(ref _commits);
            }
        }
        catch (Exception exception)
        {
            Interlocked.Increment(ref _epoch);

            // The database may have restarted: every pooled connection is dead, so the next write opens new ones.
            await DropWriterAsync();
            DataSource.Clear();
            LogCommitFailed(_logger, exception, batch.Count);
            foreach (var write in batch)
            {
                write.Fail(exception);
            }

            return;
        }

        foreach (var write in batch)
        {
            write.Complete();
        }
    }

    /// <summary>
    /// Opens the transaction and runs the batch's statements in it. The kept connection may have died while idle
    /// (the database restarted meanwhile); nothing was committed then, so the same statements run once more on a
    /// new connection rather than fail the batch.
    /// </summary>
    private async Task<(NpgsqlConnection Connection, NpgsqlTransaction Transaction)> ExecuteAsync(List<PostgresWrite> staged)
    {
        if (_writer is not null)
        {
            try
            {
                return await ExecuteOnAsync(_writer, staged);
            }
            catch (NpgsqlException) when (_writer.FullState.HasFlag(System.Data.ConnectionState.Broken) || _writer.State == System.Data.ConnectionState.Closed)
            {
                await DropWriterAsync();
            }
        }

        _writer = await DataSource.OpenConnectionAsync();
        return await ExecuteOnAsync(_writer, staged);
    }

    private static async Task<(NpgsqlConnection Connection, NpgsqlTransaction Transaction)> ExecuteOnAsync(NpgsqlConnection connection, List<PostgresWrite> staged)
    {
        var transaction = await connection.BeginTransactionAsync();
        try
        {
            await using var commands = new NpgsqlBatch(connection, transaction);
            commands.BatchCommands.Add(new NpgsqlBatchCommand(DurableCommit));
            foreach (var write in staged)
            {
                write.AddCommands(commands);
            }

            await commands.ExecuteNonQueryAsync();
            return (connection, transaction);
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    private async Task DropWriterAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
            _writer = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A PostgreSQL transaction of {Count} writes failed; none of them is stored")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, int count);
}

/// <summary>
/// One queued write: adds its statements to the writer's batch, learns from their results whether the database
/// refused it, and completes after the commit.
/// </summary>
internal abstract class PostgresWrite : QueuedWrite
{
    /// <summary>The row this write locks first; the writer orders a batch by it.</summary>
    public abstract string LockOrder { get; }

    /// <summary>Decides before anything is sent whether to take part (a journal append from an old epoch does not).</summary>
    public virtual bool Stage(long epoch) => true;

    /// <summary>Adds this write's statements. Each one checks its precondition in the database and changes nothing when it does not hold.</summary>
    public abstract void AddCommands(NpgsqlBatch batch);

    /// <summary>
    /// Reads the outcome of its statements once the batch has run; a refusal is recorded with <see cref="QueuedWrite.Refuse"/>.
    /// Throwing aborts the whole transaction.
    /// </summary>
    public virtual ValueTask JudgeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction) => ValueTask.CompletedTask;

}
