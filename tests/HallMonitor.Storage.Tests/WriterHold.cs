using Npgsql;
using static HallMonitor.Storage.Tests.Chain;

namespace HallMonitor.Storage.Tests;

/// <summary>
/// Keeps a store's writer inside one transaction: another connection locks the journal tail of a hall and the
/// store appends to that hall, so the appends queued meanwhile all wait for the writer's next group commit.
/// </summary>
internal sealed class WriterHold : IAsyncDisposable
{
    private const string HeldHall = "held";
    private readonly NpgsqlConnection _lock;
    private readonly NpgsqlTransaction _transaction;
    private readonly Task _heldAppend;

    private WriterHold(NpgsqlConnection @lock, NpgsqlTransaction transaction, Task heldAppend)
    {
        _lock = @lock;
        _transaction = transaction;
        _heldAppend = heldAppend;
    }

    /// <summary>Returns once the writer waits for the lock in the middle of its transaction.</summary>
    public static async Task<WriterHold> StartAsync(string connectionString, IJournalStore journal)
    {
        var first = First(HeldHall, Opened("01"));
        await journal.AppendAsync(first);

        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var lockTail = new NpgsqlCommand($"SELECT seq FROM journal_tail WHERE hall = '{HeldHall}' FOR UPDATE", connection, transaction))
        {
            await lockTail.ExecuteScalarAsync();
        }

        var held = journal.AppendAsync(After(HeldHall, 1, first[0].Hash, Opened("02")));
        await using var waiting = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE NOT granted", connection, transaction);
        var deadline = Environment.TickCount64 + 10_000;
        while ((long)(await waiting.ExecuteScalarAsync())! == 0)
        {
            Assert.True(Environment.TickCount64 < deadline, "The store's writer never reached the locked row.");
            Assert.False(held.IsCompleted, "The held append completed without waiting for the lock.");
            await Task.Delay(5);
        }

        return new WriterHold(connection, transaction, held);
    }

    /// <summary>Lets the writer commit the held transaction and go on to what was queued meanwhile.</summary>
    public async Task ReleaseAsync()
    {
        await _transaction.CommitAsync();
        await _heldAppend;
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _lock.DisposeAsync();
    }
}
