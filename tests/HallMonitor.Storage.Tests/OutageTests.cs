using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using static HallMonitor.Storage.Tests.Chain;

namespace HallMonitor.Storage.Tests;

/// <summary>
/// The database goes away and comes back: appends fail at once with nothing stored, readiness says so, and the
/// same store writes again once the database is back. On a server of its own, since it stops it.
/// </summary>
public sealed class OutageTests
{
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task DatabaseDown_AppendsFailPromptlyAndStoreIsUnready_ThenTheSameStoreWritesAgainWhenItIsBack()
    {
        await using var server = await PostgresServer.StartAsync();
        var database = await server.CreateDatabaseAsync("outage");
        await using var store = SharedPostgres.Open(database);
        var journalStore = new PostgresJournalStore(store);
        var journal = new HallJournal(TestHalls.HallId, journalStore);
        var readiness = new StorageHealthCheck(journalStore, new HallCatalog(TestHalls.File()), []);
        await journal.AppendAsync([Opened("01")], At, "before");

        await server.StopAsync();
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAsync<JournalUnavailableException>(() => journal.AppendAsync([Opened("02")], At, "during"));
        var failedAfter = clock.Elapsed;
        clock.Restart();
        var down = await readiness.CheckHealthAsync(new HealthCheckContext());
        var answeredAfter = clock.Elapsed;
        var epochWhileDown = store.Epoch;

        await server.StartAgainAsync();
        var after = await journal.AppendAsync([Opened("03")], At, "after");
        var up = await readiness.CheckHealthAsync(new HealthCheckContext());

        Assert.True(failedAfter < Promptly, $"the append failed after {failedAfter}");
        Assert.True(answeredAfter < Promptly, $"readiness answered after {answeredAfter}");
        Assert.Equal(HealthStatus.Unhealthy, down.Status);
        Assert.True(epochWhileDown > 0, "a failed write raises the epoch");
        Assert.Equal(2, after[0].Seq);
        Assert.Equal(HealthStatus.Healthy, up.Status);
        Assert.Equal(["before", "after"], (await journalStore.ReadAllAsync(TestHalls.HallId)).Select(r => r.Actor));
    }

    [Fact]
    public async Task DatabaseRestartedWhileTheStoreWasIdle_TheNextAppendSucceedsOnANewConnection()
    {
        await using var server = await PostgresServer.StartAsync();
        var database = await server.CreateDatabaseAsync("idle");
        await using var store = SharedPostgres.Open(database);
        var journal = new PostgresJournalStore(store);
        var first = First("test", Opened("01"));
        await journal.AppendAsync(first);

        await server.StopAsync();
        await server.StartAgainAsync();
        await journal.AppendAsync(After("test", 1, first[0].Hash, Opened("02")));

        Assert.Equal(0L, store.Epoch);
        Assert.Equal(2, (await journal.ReadAllAsync("test")).Count);
    }

    [Fact]
    public async Task AppendsQueuedBeforeAFailedCommit_AreRefusedUnderTheirOldEpoch()
    {
        await using var server = await PostgresServer.StartAsync();
        var database = await server.CreateDatabaseAsync("epoch");
        await using var store = SharedPostgres.Open(database);
        var journal = new PostgresJournalStore(store);
        var epoch = journal.Epoch;

        await server.StopAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => journal.AppendAsync(First("a", Opened("01")), epoch, () => { }));
        await server.StartAgainAsync();
        var refused = await Assert.ThrowsAsync<JournalUnavailableException>(() => journal.AppendAsync(First("b", Opened("01")), epoch, () => { }));
        await journal.AppendAsync(First("c", Opened("01")), journal.Epoch, () => { });

        Assert.Contains("reset after a failed write", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await journal.ReadAllAsync("a"));
        Assert.Empty(await journal.ReadAllAsync("b"));
        Assert.Single(await journal.ReadAllAsync("c"));
    }
}
