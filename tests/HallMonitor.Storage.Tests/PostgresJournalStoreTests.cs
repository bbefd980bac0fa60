using static HallMonitor.Storage.Tests.Chain;

namespace HallMonitor.Storage.Tests;

/// <summary>The journal in PostgreSQL: what is appended reads back exactly, by every filter; what does not continue the chain is refused.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresJournalStoreTests(SharedPostgres postgres)
{
    private const string Hall = "test";

    [Fact]
    public async Task Append_ReadsBackEveryFieldWithTheHallsOffset()
    {
        await using var store = SharedPostgres.Open(await postgres.NewDatabaseAsync());
        var journal = new PostgresJournalStore(store);
        var records = First(Hall, Opened("01"), Issued("A001", "BIZ-REG"));

        await journal.AppendAsync(records);
        var stored = await journal.ReadAllAsync(Hall);

        Assert.Equal(records.Stored(), stored.Stored());
        Assert.Equal(TimeSpan.FromHours(8), stored[1].At.Offset);
        Assert.Equal(stored[1].Hash, JournalHash.Compute(stored[1]));
        Assert.Equal(new JournalTail(2, records[1].Hash), await journal.ReadTailAsync(Hall));
    }

    [Fact]
    public async Task Read_FiltersByTicketWindowMatterAndPosition()
    {
        await using var store = SharedPostgres.Open(await postgres.NewDatabaseAsync());
        var journal = new PostgresJournalStore(store);
        await journal.AppendAsync(First(
            Hall,
            Opened("01"),                                 // 1: window 01
            Issued("A001", "BIZ-REG"),                   // 2: ticket A001, matter BIZ-REG
            Issued("B001", "TAX-INV"),                   // 3: ticket B001, matter TAX-INV
            Called("A001", "BIZ-REG", "01"),             // 4: ticket A001, matter BIZ-REG, window 01
            Called("B001", "TAX-INV", "02"),             // 5: ticket B001, matter TAX-INV, window 02
            Opened("02")));                               // 6: window 02
        await journal.AppendAsync(First("other", Issued("A001", "BIZ-REG")));

        async Task<string> Seqs(JournalQuery query) => string.Join(' ', (await journal.ReadAsync(Hall, query)).Select(r => r.Seq));

        Assert.Equal("2 4", await Seqs(new JournalQuery { TicketId = "20261123-A001" }));
        Assert.Equal("1 4", await Seqs(new JournalQuery { WindowId = "01" }));
        Assert.Equal("3 5", await Seqs(new JournalQuery { Matter = "TAX-INV" }));
        Assert.Equal("5", await Seqs(new JournalQuery { Matter = "TAX-INV", WindowId = "02" }));
        Assert.Equal("4 5 6", await Seqs(new JournalQuery { AfterSeq = 3 }));
        Assert.Equal("3 4", await Seqs(new JournalQuery { AfterSeq = 2, Limit = 2 }));
        Assert.Equal("", await Seqs(new JournalQuery { TicketId = "20261123-C001" }));
        Assert.Single(await journal.ReadAllAsync("other"));
    }

    [Fact]
    public async Task Append_WithAGapInSequence_IsRefusedAndStoresNothing()
    {
        await using var store = SharedPostgres.Open(await postgres.NewDatabaseAsync());
        var journal = new PostgresJournalStore(store);
        var first = First(Hall, Opened("01"));
        await journal.AppendAsync(first);

        var gap = After(Hall, 2, first[0].Hash, Opened("02"));
        await Assert.ThrowsAsync<JournalForkException>(() => journal.AppendAsync(gap));

        Assert.Equal(first.Stored(), (await journal.ReadAllAsync(Hall)).Stored());
        Assert.Equal(new JournalTail(1, first[0].Hash), await journal.ReadTailAsync(Hall));
    }

    [Fact]
    public async Task Append_RepeatingAStoredSeq_IsRefusedAndStoresNothing()
    {
        await using var store = SharedPostgres.Open(await postgres.NewDatabaseAsync());
        var journal = new PostgresJournalStore(store);
        var first = First(Hall, Opened("01"), Opened("02"));
        await journal.AppendAsync(first);

        await Assert.ThrowsAsync<JournalForkException>(() => journal.AppendAsync(After(Hall, 1, first[0].Hash, Opened("03"))));
        await Assert.ThrowsAsync<JournalForkException>(() => journal.AppendAsync(First(Hall, Opened("04"))));

        Assert.Equal(first.Stored(), (await journal.ReadAllAsync(Hall)).Stored());
    }

    [Fact]
    public async Task Append_LinkedToAnotherHash_IsRefusedAndStoresNothing()
    {
        await using var store = SharedPostgres.Open(await postgres.NewDatabaseAsync());
        var journal = new PostgresJournalStore(store);
        var first = First(Hall, Opened("01"));
        await journal.AppendAsync(first);

        var wrongLink = After(Hall, 1, new string('f', 64), Opened("02"));
        var refused = await Assert.ThrowsAsync<JournalForkException>(() => journal.AppendAsync(wrongLink));
        var notFromGenesis = await Assert.ThrowsAsync<JournalForkException>(() => journal.AppendAsync(After("fresh", 0, new string('f', 64), Opened("01"))));

        Assert.Contains("ends at event 1", refused.Message, StringComparison.Ordinal);
        Assert.Equal(first.Stored(), (await journal.ReadAllAsync(Hall)).Stored());
        Assert.Empty(await journal.ReadAllAsync("fresh"));
    }

    [Fact]
    public async Task Append_RunsItsCommittedCallbackBeforeCompleting_InCommitOrder()
    {
        await using var store = SharedPostgres.Open(await postgres.NewDatabaseAsync());
        var journal = new PostgresJournalStore(store);
        var order = new List<long>();
        var records = First(Hall, Opened("01"), Opened("02"), Opened("03"));

        var appends = records.Select(r => journal.AppendAsync([r], journal.Epoch, () => { lock (order) { order.Add(r.Seq); } })).ToArray();
        await appends[0];
        var seenByFirst = order.Count;
        await Task.WhenAll(appends);

        Assert.True(seenByFirst >= 1, "the first append completed before its callback ran");
        Assert.Equal([1L, 2L, 3L], order);
    }

    [Fact]
    public async Task Restart_ANewStoreOnTheSameDatabase_FindsTailAndRecordsAndLeavesTheSchemaAsItWas()
    {
        var database = await postgres.NewDatabaseAsync();
        var records = First(Hall, Opened("01"), Issued("A001", "BIZ-REG"));
        await using (var before = SharedPostgres.Open(database))
        {
            await new PostgresJournalStore(before).AppendAsync(records);
        }

        await using var after = SharedPostgres.Open(database);
        var journal = new PostgresJournalStore(after);
        var next = After(Hall, await journal.ReadTailAsync(Hall), Opened("02"));
        await journal.AppendAsync(next);

        Assert.Equal(records.Concat(next).Stored(), (await journal.ReadAllAsync(Hall)).Stored());
        Assert.Equal(1L, await SharedPostgres.QueryAsync(database, "SELECT count(*) FROM schema_version"));
        Assert.Equal(1, await SharedPostgres.QueryAsync(database, "SELECT max(version) FROM schema_version"));
    }

    private static TicketIssued Issued(string number, string matter) =>
        new($"20261123-{number}", number, matter, TicketChannel.Kiosk, false, new DateOnly(2026, 11, 23));

    private static TicketCalled Called(string number, string matter, string window) =>
        new($"20261123-{number}", number, matter, window, $"clerk{window}", 60, false, At, TicketChannel.Kiosk);
}
