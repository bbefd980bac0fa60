using Orleans.Storage;

namespace HallMonitor.Storage.Tests;

/// <summary>The grains' checkpoints in PostgreSQL: a write must carry the ETag stored, whichever silo wrote it.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresGrainStorageTests(SharedPostgres postgres)
{
    private static readonly GrainId Grain = GrainId.Create("window", "test/01");

    [Fact]
    public async Task Write_ThenRead_GivesTheStateAndItsETag()
    {
        await using var store = SharedPostgres.Open(await postgres.NewDatabaseAsync());
        var storage = new PostgresGrainStorage(store);
        var written = new GrainState<Checkpoint>(new Checkpoint { Seq = 7, Clerk = "王芳" });

        await storage.WriteStateAsync("window", Grain, written);
        var read = new GrainState<Checkpoint>();
        await storage.ReadStateAsync("window", Grain, read);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal((7L, "王芳"), (read.State!.Seq, read.State.Clerk));
    }

    [Fact]
    public async Task StaleWriterOnAnotherSilo_IsRefused_AndTheStoredStateStays()
    {
        var database = await postgres.NewDatabaseAsync();
        await using var storeA = SharedPostgres.Open(database);
        await using var storeB = SharedPostgres.Open(database);
        var (siloA, siloB) = (new PostgresGrainStorage(storeA), new PostgresGrainStorage(storeB));
        await siloA.WriteStateAsync("window", Grain, new GrainState<Checkpoint>(new Checkpoint { Seq = 1 }));
        var a = new GrainState<Checkpoint>();
        var b = new GrainState<Checkpoint>();
        await siloA.ReadStateAsync("window", Grain, a);
        await siloB.ReadStateAsync("window", Grain, b);

        a.State!.Seq = 2;
        await siloA.WriteStateAsync("window", Grain, a);
        b.State!.Seq = 3;
        var refused = await Assert.ThrowsAsync<InconsistentStateException>(() => siloB.WriteStateAsync("window", Grain, b));
        var stored = new GrainState<Checkpoint>();
        await siloB.ReadStateAsync("window", Grain, stored);

        Assert.Equal(a.ETag, refused.StoredEtag);
        Assert.Equal(2, stored.State!.Seq);
        Assert.Equal(a.ETag, stored.ETag);
    }

    [Fact]
    public async Task FirstWrite_OfAStateAnotherSiloCreatedMeanwhile_IsRefused()
    {
        var database = await postgres.NewDatabaseAsync();
        await using var storeA = SharedPostgres.Open(database);
        await using var storeB = SharedPostgres.Open(database);

        await new PostgresGrainStorage(storeA).WriteStateAsync("window", Grain, new GrainState<Checkpoint>(new Checkpoint { Seq = 1 }));

        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            new PostgresGrainStorage(storeB).WriteStateAsync("window", Grain, new GrainState<Checkpoint>(new Checkpoint { Seq = 9 })));
    }

    [Fact]
    public async Task Clear_WithAStaleETag_IsRefused_WithTheCurrentOne_Deletes()
    {
        await using var store = SharedPostgres.Open(await postgres.NewDatabaseAsync());
        var storage = new PostgresGrainStorage(store);
        var state = new GrainState<Checkpoint>(new Checkpoint { Seq = 1 });
        await storage.WriteStateAsync("window", Grain, state);
        var stale = new GrainState<Checkpoint>(new Checkpoint()) { ETag = "stale" };

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("window", Grain, stale));
        await storage.ClearStateAsync("window", Grain, state);
        var read = new GrainState<Checkpoint>();
        await storage.ReadStateAsync("window", Grain, read);

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
    }

    public sealed class Checkpoint
    {
        public long Seq { get; set; }

        public string? Clerk { get; set; }
    }
}
