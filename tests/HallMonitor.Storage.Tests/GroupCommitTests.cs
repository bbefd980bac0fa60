using static HallMonitor.Storage.Tests.Chain;

namespace HallMonitor.Storage.Tests;

/// <summary>Appends queued together commit together, and one refused append does not sink the others.</summary>
[Collection(PostgresCollection.Name)]
public sealed class GroupCommitTests(SharedPostgres postgres)
{
    [Fact]
    public async Task AppendsQueuedDuringACommit_AllCommitInTheNextTransaction()
    {
        var database = await postgres.NewDatabaseAsync();
        await using var store = SharedPostgres.Open(database);
        var journal = new PostgresJournalStore(store);

        await using var hold = await WriterHold.StartAsync(database, journal);
        var before = store.Commits;
        var appends = Enumerable.Range(1, 100).Select(hall => journal.AppendAsync(First($"hall{hall}", Opened("01"), Opened("02")))).ToArray();
        await hold.ReleaseAsync();
        await Task.WhenAll(appends);

        Assert.Equal(before + 2, store.Commits);
        Assert.Equal(200L, await SharedPostgres.QueryAsync(database, "SELECT count(*) FROM journal WHERE hall LIKE 'hall%'"));
    }

    [Fact]
    public async Task ManyConcurrentAppenders_ShareTransactions()
    {
        var database = await postgres.NewDatabaseAsync();
        await using var store = SharedPostgres.Open(database);
        var journals = Enumerable.Range(1, 32).Select(hall => new HallJournal($"hall{hall}", new PostgresJournalStore(store))).ToArray();
        var before = store.Commits;

        await Task.WhenAll(journals.Select(journal => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await journal.AppendAsync([Opened($"{i:00}")], At, "clerk");
            }
        })));

        var commits = store.Commits - before;
        Assert.Equal(320L, await SharedPostgres.QueryAsync(database, "SELECT count(*) FROM journal"));
        Assert.True(commits < 320 / 2, $"320 appends took {commits} transactions");
    }

    [Fact]
    public async Task ARefusedAppendInAGroupCommit_LeavesTheOtherHallsAppendsCommitted()
    {
        var database = await postgres.NewDatabaseAsync();
        await using var store = SharedPostgres.Open(database);
        var journal = new PostgresJournalStore(store);
        var taken = First("taken", Opened("01"));
        await journal.AppendAsync(taken);

        await using var hold = await WriterHold.StartAsync(database, journal);
        var before = store.Commits;
        var good = journal.AppendAsync(First("good", Opened("01")));
        var fork = journal.AppendAsync(First("taken", Opened("02")));
        var alsoGood = journal.AppendAsync(First("also-good", Opened("01")));
        var continued = journal.AppendAsync(After("taken", 1, taken[0].Hash, Opened("03")));
        await hold.ReleaseAsync();

        await Assert.ThrowsAsync<JournalForkException>(() => fork);
        await Task.WhenAll(good, alsoGood, continued);
        Assert.Equal(before + 2, store.Commits);
        Assert.Single(await journal.ReadAllAsync("good"));
        Assert.Single(await journal.ReadAllAsync("also-good"));
        Assert.Equal(["windowOpened:01", "windowOpened:03"], (await journal.ReadAllAsync("taken")).Select(r => $"{r.Type}:{((WindowOpened)r.Event).Window}"));
        Assert.Equal(0L, store.Epoch);
    }
}
