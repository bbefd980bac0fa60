namespace HallMonitor.Grains.Tests;

/// <summary>
/// A call between grains that times out after its event was committed: the caller hears "timeout", but the
/// journal holds the event. The caller must end up with the journal's truth — never a ticket that no window
/// can call, a window that forgot whom it called, or a ticket both transferred and completed.
/// </summary>
public sealed class LateCommitTests
{
    /// <summary>Orleans' response timeout, on the system clock; the held commit outlasts it.</summary>
    private static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task CallNext_CommittedAfterItTimedOut_LeavesTheWindowCallingThatTicketAndNoOther()
    {
        HeldJournalStore? store = null;
        await using var hall = await HallFixture.StartAsync(journalStore: memory => store = new HeldJournalStore(memory), responseTimeout: ResponseTimeout);
        var first = await hall.IssueAsync("BIZ-REG");
        var second = await hall.IssueAsync("BIZ-REG");
        await hall.OpenAsync("03");

        await CommitLateAsync(hall, store!, "window/test/03", () => hall.Window("03").CallNextAsync());
        var window = await hall.Window("03").GetAsync();
        await Assert.ThrowsAsync<ConflictException>(() => hall.Window("03").CallNextAsync());

        Assert.Equal(WindowState.Calling, window.State);
        Assert.Equal(first.TicketId, window.Ticket?.TicketId);
        Assert.Single(await hall.ReadJournalAsync(), r => r.Type == "ticketCalled");
        Assert.Equal([second.TicketId], (await hall.Matter("BIZ-REG").GetQueueAsync()).TicketIds);
    }

    [Fact]
    public async Task Issue_CommittedAfterItTimedOut_IsStillCalledInItsTurn()
    {
        HeldJournalStore? store = null;
        await using var hall = await HallFixture.StartAsync(journalStore: memory => store = new HeldJournalStore(memory), responseTimeout: ResponseTimeout);
        await hall.OpenAsync("03");

        await CommitLateAsync(hall, store!, "matter/test/BIZ-REG", () => hall.IssueAsync("BIZ-REG"));
        var next = await hall.IssueAsync("BIZ-REG");
        var firstCall = await hall.Window("03").CallNextAsync();
        await hall.Window("03").NoShowAsync();
        var secondCall = await hall.Window("03").CallNextAsync();

        Assert.Equal("A001", firstCall?.Number);
        Assert.Equal(next.TicketId, secondCall?.TicketId);
    }

    [Fact]
    public async Task Transfer_CommittedAfterItTimedOut_CannotAlsoBeCompleted()
    {
        HeldJournalStore? store = null;
        await using var hall = await HallFixture.StartAsync(journalStore: memory => store = new HeldJournalStore(memory), responseTimeout: ResponseTimeout);
        await hall.IssueAsync("BIZ-REG");
        await hall.OpenAsync("01");
        var served = await hall.Window("01").CallNextAsync();
        await hall.Window("01").StartAsync();

        await CommitLateAsync(hall, store!, "window/test/01", () => hall.Window("01").TransferAsync("TAX-INV"));
        await Assert.ThrowsAsync<ConflictException>(() => hall.Window("01").CompleteAsync());

        var journal = await hall.ReadJournalAsync();
        Assert.Single(journal, r => r.Type == "ticketTransferred");
        Assert.DoesNotContain(journal, r => r.Type == "serviceCompleted");
        Assert.Equal(WindowState.Idle, (await hall.Window("01").GetAsync()).State);
        Assert.Equal(TicketState.Transferred, (await hall.Ticket(served!.TicketId).GetAsync()).State);
    }

    /// <summary>
    /// Holds the command's journal write until the caller grain's call has timed out (it says so in its log),
    /// then lets the write commit.
    /// </summary>
    private static async Task CommitLateAsync<T>(HallFixture hall, HeldJournalStore store, string caller, Func<Task<T>> command)
    {
        var held = store.HoldNextAppendAsync();
        var call = command();
        await held;
        await Assert.ThrowsAsync<TimeoutException>(() => call);
        await Eventually.Async(() => Task.FromResult(hall.Logs.Contains(caller)), seen => seen);
        store.CommitHeldAppend();
    }
}
