using static HallMonitor.Storage.Tests.Chain;

namespace HallMonitor.Storage.Tests;

/// <summary>
/// Two silos hosting one hall for a moment (a membership change), each with its own store on the same
/// database: the database keeps one chain, the loser is refused and continues after reading the tail.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TwoSiloTests(SharedPostgres postgres)
{
    private const string Hall = "test";

    [Fact]
    public async Task SecondSilo_AppendingFromAnOldTail_IsRefused_AndContinuesAfterReadingTheTail()
    {
        var database = await postgres.NewDatabaseAsync();
        await using var storeA = SharedPostgres.Open(database);
        await using var storeB = SharedPostgres.Open(database);
        var (a, b) = (new PostgresJournalStore(storeA), new PostgresJournalStore(storeB));
        var tailSeenByBoth = await b.ReadTailAsync(Hall);
        var byA = First(Hall, Opened("01"));
        await a.AppendAsync(byA);

        await Assert.ThrowsAsync<JournalForkException>(() => b.AppendAsync(After(Hall, tailSeenByBoth, Opened("02"))));
        var tail = await b.ReadTailAsync(Hall);
        var byB = After(Hall, tail, Opened("02"));
        await b.AppendAsync(byB);

        Assert.Equal(new JournalTail(0, JournalHash.Genesis), tailSeenByBoth);
        Assert.Equal(new JournalTail(1, byA[0].Hash), tail);
        Assert.Equal(byA.Concat(byB).Stored(), (await a.ReadAllAsync(Hall)).Stored());
    }

    [Fact]
    public async Task TwoSilos_WritingOneHallConcurrently_LeaveOneGaplessVerifiableChain()
    {
        var database = await postgres.NewDatabaseAsync();
        await using var storeA = SharedPostgres.Open(database);
        await using var storeB = SharedPostgres.Open(database);
        var silos = new[] { new HallJournal(Hall, new PostgresJournalStore(storeA)), new HallJournal(Hall, new PostgresJournalStore(storeB)) };
        foreach (var silo in silos)
        {
            await silo.ReloadAsync();
        }

        var outcomes = await Task.WhenAll(silos.Select((journal, index) => Task.Run(async () =>
        {
            var (stored, refused) = (0, 0);
            for (var i = 0; i < 40; i++)
            {
                try
                {
                    await journal.AppendAsync([Opened($"{i:00}")], At, $"silo{index}");
                    stored++;
                }
                catch (JournalUnavailableException exception) when (exception.Cause?.StartsWith(nameof(JournalForkException) + ":", StringComparison.Ordinal) == true)
                {
                    refused++;
                }
            }

            return (Stored: stored, Refused: refused);
        })));

        var journal = await silos[0].ReadAsync(new JournalQuery { Limit = int.MaxValue });
        var verification = await silos[1].VerifyAsync();
        Assert.True(verification.Ok, verification.Problem);
        Assert.Equal(Enumerable.Range(1, journal.Count).Select(n => (long)n), journal.Select(r => r.Seq));
        Assert.Equal(outcomes[0].Stored, journal.Count(r => r.Actor == "silo0"));
        Assert.Equal(outcomes[1].Stored, journal.Count(r => r.Actor == "silo1"));
        Assert.True(outcomes.Sum(o => o.Refused) >= 1, "both silos started from the same tail, so one must have been refused");
        Assert.Equal(journal.Count, (await new PostgresJournalStore(storeB).ReadTailAsync(Hall)).Seq);
        Assert.Equal(0L, storeA.Epoch + storeB.Epoch);
    }
}
