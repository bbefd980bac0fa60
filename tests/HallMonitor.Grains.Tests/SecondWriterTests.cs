using HallMonitor.Silo;
using Microsoft.Extensions.Logging.Abstractions;

namespace HallMonitor.Grains.Tests;

/// <summary>
/// Two writers of one hall's journal — a duplicate activation while a cluster changes its membership, say —
/// cannot fork it: the store refuses an append that does not continue the stored chain, and the refused
/// writer reloads the tail and continues it.
/// </summary>
public sealed class SecondWriterTests
{
    private const string Hall = "test";
    private static readonly DateTimeOffset At = HallFixture.Morning;

    public static TheoryData<string> Stores => new() { "memory", "sqlite" };

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task SecondWriter_BehindTheStoredChain_IsRefusedAndStoresNothing(string kind)
    {
        await using var store = await OpenAsync(kind);
        var (first, second) = await TwoWritersAsync(store);

        await first.AppendAsync([Opened("01")], At, "first");
        var refused = await Assert.ThrowsAsync<JournalUnavailableException>(() => second.AppendAsync([Opened("02")], At, "second"));

        var stored = await store.Journal.ReadAsync(Hall, new JournalQuery());
        Assert.StartsWith(nameof(JournalForkException) + ":", refused.Cause, StringComparison.Ordinal);
        Assert.Equal(["first"], stored.Select(r => r.Actor));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task SecondWriter_AfterARefusal_ContinuesTheChainItFoundStored(string kind)
    {
        await using var store = await OpenAsync(kind);
        var (first, second) = await TwoWritersAsync(store);
        await first.AppendAsync([Opened("01"), Opened("02")], At, "first");
        await Assert.ThrowsAsync<JournalUnavailableException>(() => second.AppendAsync([Opened("03")], At, "second"));

        var continued = await second.AppendAsync([Opened("03")], At, "second");

        var stored = await store.Journal.ReadAsync(Hall, new JournalQuery());
        Assert.Equal(3, continued[0].Seq);
        Assert.Equal(stored[1].Hash, continued[0].PrevHash);
        Assert.True((await second.VerifyAsync()).Ok);
        Assert.Equal(["first", "first", "second"], stored.Select(r => r.Actor));
    }

    private static WindowOpened Opened(string window) => new(window, $"clerk{window}");

    /// <summary>Two journals of the same hall over one store, both loaded from the same (empty) tail: two silos' writers.</summary>
    private static async Task<(HallJournal First, HallJournal Second)> TwoWritersAsync(Store store)
    {
        var first = new HallJournal(Hall, store.Journal);
        var second = new HallJournal(Hall, store.Journal);
        await first.ReloadAsync();
        await second.ReloadAsync();
        return (first, second);
    }

    private static Task<Store> OpenAsync(string kind)
    {
        if (kind == "memory")
        {
            return Task.FromResult(new Store(new MemoryJournalStore(), null, null));
        }

        var folder = Directory.CreateTempSubdirectory("hallmonitor-writers-").FullName;
        var sqlite = new SqliteStore(Path.Combine(folder, "hallmonitor.db"), "normal", NullLogger<SqliteStore>.Instance);
        return Task.FromResult(new Store(new SqliteJournalStore(sqlite), sqlite, folder));
    }

    private sealed record Store(IJournalStore Journal, SqliteStore? Sqlite, string? Folder) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (Sqlite is not null)
            {
                await Sqlite.DisposeAsync();
            }

            if (Folder is not null)
            {
                Directory.Delete(Folder, recursive: true);
            }
        }
    }
}
