namespace HallMonitor.Runtime.Tests;

public sealed class StorageTests
{
    [Fact]
    public async Task Write_ChangesTheEtag()
    {
        await using var test = new TestRuntime();
        var grain = test.Grain<IProfileGrain>("etag");

        await grain.VisitAsync("a");
        var first = await grain.GetEtagAsync();
        await grain.VisitAsync("b");

        Assert.NotNull(first);
        Assert.NotEqual(first, await grain.GetEtagAsync());
    }

    [Fact]
    public async Task WriteOverAChangedRecord_FailsWithInconsistentState()
    {
        await using var test = new TestRuntime();
        var grain = test.Grain<IProfileGrain>("conflict");
        await grain.VisitAsync("ours");

        var theirs = new GrainState<ProfileState>();
        await test.Storage.ReadStateAsync("profile", new GrainId("profile", "conflict"), theirs);
        theirs.State.Name = "theirs";
        await test.Storage.WriteStateAsync("profile", new GrainId("profile", "conflict"), theirs);

        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.VisitAsync("ours again"));
        var stored = new GrainState<ProfileState>();
        await test.Storage.ReadStateAsync("profile", new GrainId("profile", "conflict"), stored);
        Assert.Equal("theirs", stored.State.Name);
    }

    [Fact]
    public async Task FirstWriteOverARecordCreatedMeanwhile_FailsWithInconsistentState()
    {
        var storage = new MemoryGrainStorage();
        var id = new GrainId("profile", "race");
        var one = new GrainState<ProfileState>();
        var two = new GrainState<ProfileState>();
        await storage.ReadStateAsync("profile", id, one);
        await storage.ReadStateAsync("profile", id, two);

        await storage.WriteStateAsync("profile", id, one);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("profile", id, two));
    }

    [Fact]
    public async Task Clear_RemovesTheRecord()
    {
        await using var test = new TestRuntime();
        var grain = test.Grain<IProfileGrain>("clear");
        await grain.VisitAsync("x");

        await grain.ClearAsync();

        var stored = new GrainState<ProfileState>();
        await test.Storage.ReadStateAsync("profile", new GrainId("profile", "clear"), stored);
        Assert.False(stored.RecordExists);
        Assert.Equal(0, stored.State.Visits);
    }

    [Fact]
    public async Task StoredState_IsACopyNotSharedWithTheGrain()
    {
        var storage = new MemoryGrainStorage();
        var id = new GrainId("profile", "copy");
        var state = new GrainState<ProfileState> { State = new ProfileState { Name = "stored" } };
        await storage.WriteStateAsync("profile", id, state);

        state.State.Name = "changed in memory";
        var read = new GrainState<ProfileState>();
        await storage.ReadStateAsync("profile", id, read);

        Assert.Equal("stored", read.State.Name);
    }

    private sealed class GrainState<T> : IGrainState<T>
        where T : new()
    {
        public T State { get; set; } = new();

        public string? ETag { get; set; }

        public bool RecordExists { get; set; }
    }
}
