namespace HallMonitor.Grains.Tests;

public sealed class TransferTests
{
    [Fact]
    public async Task Transfer_EndsTheServiceAndQueuesAPriorityLegForTheOtherMatter()
    {
        await using var hall = await HallFixture.StartAsync();
        var original = await StartServingBizRegAtWindow01Async(hall, "王芳");
        hall.Clock.Advance(TimeSpan.FromMinutes(6));

        var leg = await hall.Window("01").TransferAsync("TAX-INV");
        var transferred = await hall.Ticket(original.TicketId).GetAsync();
        var newLeg = await hall.Ticket(leg.TicketId).GetAsync();

        Assert.Equal(TicketState.Transferred, transferred.State);
        Assert.Equal(leg.TicketId, transferred.TransferredTo);
        Assert.Equal(360, transferred.HandleSeconds);
        Assert.Equal(HallFixture.Morning.AddMinutes(6), transferred.FinishedAt);
        Assert.Equal("20261123-B001", leg.TicketId);
        Assert.Equal(TicketState.Waiting, newLeg.State);
        Assert.Equal("TAX-INV", newLeg.Matter);
        Assert.True(newLeg.Priority);
        Assert.Equal(original.TicketId, newLeg.TransferredFrom);
        Assert.Equal(original.TicketId, leg.TransferredFrom);
    }

    [Fact]
    public async Task Transfer_FreesTheWindow()
    {
        await using var hall = await HallFixture.StartAsync();
        await StartServingBizRegAtWindow01Async(hall);

        await hall.Window("01").TransferAsync("RE-TRANS");
        var window = await hall.Window("01").GetAsync();

        Assert.Equal(WindowState.Idle, window.State);
        Assert.Null(window.Ticket);
    }

    [Fact]
    public async Task Transfer_IsJournaledAsTwoAdjacentEventsAtTheSameMoment()
    {
        await using var hall = await HallFixture.StartAsync();
        var original = await StartServingBizRegAtWindow01Async(hall, "王芳");
        var before = (await hall.ReadJournalAsync()).Count;

        var leg = await hall.Window("01").TransferAsync("TAX-INV");
        var added = (await hall.ReadJournalAsync()).Skip(before).ToList();

        Assert.Equal(["ticketTransferred", "ticketIssued"], added.Select(r => r.Type));
        Assert.Equal(added[0].Seq + 1, added[1].Seq);
        Assert.Equal(added[0].At, added[1].At);
        Assert.Equal(added[0].Hash, added[1].PrevHash);
        var transferred = Assert.IsType<TicketTransferred>(added[0].Event);
        var issued = Assert.IsType<TicketIssued>(added[1].Event);
        Assert.Equal(original.TicketId, transferred.TicketId);
        Assert.Equal(leg.TicketId, transferred.NewTicketId);
        Assert.Equal("TAX-INV", transferred.ToMatter);
        Assert.Equal(original.TicketId, issued.TransferredFrom);
        Assert.Equal("王芳", added[0].Actor);
    }

    [Fact]
    public async Task Transfer_NewLegIsCalledBeforeVisitorsWhoQueuedEarlier()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        await hall.OpenAsync("04");
        await hall.IssueAsync("BIZ-REG");
        var earlierTax = await hall.IssueAsync("TAX-INV");
        await hall.Window("01").CallNextAsync();
        await hall.Window("01").StartAsync();
        hall.Clock.Advance(TimeSpan.FromMinutes(3));

        var leg = await hall.Window("01").TransferAsync("TAX-INV");
        var called = await hall.Window("04").CallNextAsync();

        Assert.Equal("20261123-B002", leg.TicketId);
        Assert.Equal(leg.TicketId, called!.TicketId);
        Assert.Equal([earlierTax.TicketId], (await hall.Matter("TAX-INV").GetQueueAsync()).TicketIds);
    }

    [Fact]
    public async Task Transfer_NewLegCanBeServedToCompletion()
    {
        await using var hall = await HallFixture.StartAsync();
        var original = await StartServingBizRegAtWindow01Async(hall);
        var leg = await hall.Window("01").TransferAsync("RE-TRANS");

        await hall.ServeNextAsync("01", TimeSpan.FromMinutes(10));
        var served = await hall.Ticket(leg.TicketId).GetAsync();
        var first = await hall.Ticket(original.TicketId).GetAsync();

        Assert.Equal(TicketState.Completed, served.State);
        Assert.Equal(600, served.HandleSeconds);
        Assert.Equal(TicketState.Transferred, first.State);
    }

    [Fact]
    public async Task Transfer_OfATransferredLeg_ChainsTheLegs()
    {
        await using var hall = await HallFixture.StartAsync();
        var first = await StartServingBizRegAtWindow01Async(hall);
        var second = await hall.Window("01").TransferAsync("TAX-INV");
        await hall.Window("01").CallNextAsync();
        await hall.Window("01").StartAsync();

        var third = await hall.Window("01").TransferAsync("BIZ-REG");
        var middle = await hall.Ticket(second.TicketId).GetAsync();

        Assert.Equal((first.TicketId, third.TicketId), (middle.TransferredFrom, middle.TransferredTo));
        Assert.Equal(TicketState.Transferred, middle.State);
        Assert.Equal(second.TicketId, third.TransferredFrom);
        Assert.Equal("A002", third.Number);
    }

    [Fact]
    public async Task Transfer_ToTheSameMatter_IsInvalidAndChangesNothing()
    {
        await using var hall = await HallFixture.StartAsync();
        await StartServingBizRegAtWindow01Async(hall);
        var before = await HallPicture.TakeAsync(hall);

        await Assert.ThrowsAsync<InvalidRequestException>(() => hall.Window("01").TransferAsync("BIZ-REG"));

        (await HallPicture.TakeAsync(hall)).AssertSameAs(before);
    }

    [Fact]
    public async Task Transfer_ToAnUnknownMatter_IsNotFoundAndChangesNothing()
    {
        await using var hall = await HallFixture.StartAsync();
        await StartServingBizRegAtWindow01Async(hall);
        var before = await HallPicture.TakeAsync(hall);

        await Assert.ThrowsAsync<NotFoundException>(() => hall.Window("01").TransferAsync("NO-SUCH"));

        (await HallPicture.TakeAsync(hall)).AssertSameAs(before);
    }

    [Fact]
    public async Task Transfer_ToAMatterSharingThePrefix_ContinuesThatSequence()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("03");
        await hall.IssueAsync("BIZ-REG");
        await hall.IssueAsync("BIZ-CHG");
        await hall.Window("03").CallNextAsync();
        await hall.Window("03").StartAsync();

        var leg = await hall.Window("03").TransferAsync("BIZ-CHG");

        Assert.Equal("A003", leg.Number);
    }

    /// <summary>Opens window 01 and starts serving a BIZ-REG ticket there, which it returns as issued.</summary>
    private static async Task<TicketView> StartServingBizRegAtWindow01Async(HallFixture hall, string? clerk = null)
    {
        await hall.OpenAsync("01", clerk);
        var issued = await hall.IssueAsync("BIZ-REG");
        await hall.Window("01").CallNextAsync();
        await hall.Window("01").StartAsync();
        return issued;
    }
}
