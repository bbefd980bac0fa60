namespace HallMonitor.Grains.Tests;

public sealed class LifecycleTests
{
    [Fact]
    public async Task Ticket_GoesFromIssueToCompletion_WithDurationsAndHistory()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("03", "王芳");
        var issued = await hall.IssueAsync("BIZ-REG");

        hall.Clock.Advance(TimeSpan.FromMinutes(4));
        var called = await hall.Window("03").CallNextAsync();
        hall.Clock.Advance(TimeSpan.FromSeconds(30));
        await hall.Window("03").StartAsync();
        hall.Clock.Advance(TimeSpan.FromMinutes(12));
        var completed = await hall.Window("03").CompleteAsync();
        var ticket = await hall.Ticket(issued.TicketId).GetAsync();

        Assert.Equal("20261123-A001", issued.TicketId);
        Assert.Equal(issued.TicketId, called!.TicketId);
        Assert.Equal(TicketState.Completed, completed.State);
        Assert.Equal(240, ticket.WaitSeconds);
        Assert.Equal(720, ticket.HandleSeconds);
        Assert.Equal("03", ticket.Window);
        Assert.Equal("王芳", ticket.Clerk);
        Assert.Equal(["ticketIssued", "ticketCalled", "serviceStarted", "serviceCompleted"], ticket.History!.Select(h => h.Type));
    }

    [Fact]
    public async Task Issue_ReturnsAWaitingTicketWithItsMatter()
    {
        await using var hall = await HallFixture.StartAsync();

        var issued = await hall.Matter("RE-TRANS").IssueAsync(TicketChannel.Appointment, priority: false, "kiosk");
        var ticket = await hall.Ticket(issued.TicketId).GetAsync();

        Assert.Equal(TicketState.Waiting, issued.State);
        Assert.Equal("RE-TRANS", ticket.Matter);
        Assert.Equal("不动产转移登记", ticket.MatterName);
        Assert.Equal(TicketChannel.Appointment, ticket.Channel);
        Assert.Equal(HallFixture.Morning, ticket.IssuedAt);
        Assert.Equal(TimeSpan.FromHours(8), ticket.IssuedAt.Offset);
        Assert.Null(ticket.Window);
        Assert.Null(ticket.CalledAt);
    }

    [Fact]
    public async Task Call_PutsTheTicketAtTheWindowWithItsClerk()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("02", "李娜");
        var issued = await hall.IssueAsync("TAX-INV");
        hall.Clock.Advance(TimeSpan.FromSeconds(75));

        await hall.Window("02").CallNextAsync();
        var ticket = await hall.Ticket(issued.TicketId).GetAsync();
        var window = await hall.Window("02").GetAsync();

        Assert.Equal(TicketState.Called, ticket.State);
        Assert.Equal("02", ticket.Window);
        Assert.Equal("李娜", ticket.Clerk);
        Assert.Equal(HallFixture.Morning.AddSeconds(75), ticket.CalledAt);
        Assert.Equal(WindowState.Calling, window.State);
        Assert.Equal(issued.TicketId, window.Ticket!.TicketId);
        Assert.Equal(TicketState.Called, window.Ticket.State);
    }

    [Fact]
    public async Task Recall_CountsEachRecall()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("03");
        var issued = await hall.IssueAsync("BIZ-REG");
        await hall.Window("03").CallNextAsync();

        var first = await hall.Window("03").RecallAsync();
        var second = await hall.Window("03").RecallAsync();
        var ticket = await hall.Ticket(issued.TicketId).GetAsync();
        var window = await hall.Window("03").GetAsync();

        Assert.Equal(1, first.Recalls);
        Assert.Equal(2, second.Recalls);
        Assert.Equal(2, ticket.Recalls);
        Assert.Equal(TicketState.Called, ticket.State);
        Assert.Equal(2, window.Ticket!.Recalls);
        Assert.Equal(["ticketIssued", "ticketCalled", "ticketRecalled", "ticketRecalled"], ticket.History!.Select(h => h.Type));
    }

    [Fact]
    public async Task NoShow_FinishesTheCalledTicketAndFreesTheWindow()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("03");
        var issued = await hall.IssueAsync("BIZ-REG");
        await hall.Window("03").CallNextAsync();
        hall.Clock.Advance(TimeSpan.FromMinutes(2));

        var noShow = await hall.Window("03").NoShowAsync();
        var ticket = await hall.Ticket(issued.TicketId).GetAsync();
        var window = await hall.Window("03").GetAsync();

        Assert.Equal(TicketState.NoShow, noShow.State);
        Assert.Equal(TicketState.NoShow, ticket.State);
        Assert.Equal(HallFixture.Morning.AddMinutes(2), ticket.FinishedAt);
        Assert.Null(ticket.HandleSeconds);
        Assert.Equal(WindowState.Idle, window.State);
        Assert.Null(window.Ticket);
        Assert.Equal(["ticketIssued", "ticketCalled", "ticketNoShow"], ticket.History!.Select(h => h.Type));
    }

    [Fact]
    public async Task Cancel_WaitingTicket_TakesItOutOfTheQueue()
    {
        await using var hall = await HallFixture.StartAsync();
        var kept = await hall.IssueAsync("TAX-INV");
        var issued = await hall.IssueAsync("TAX-INV");
        hall.Clock.Advance(TimeSpan.FromMinutes(3));

        var cancelled = await hall.Ticket(issued.TicketId).CancelAsync("kiosk");
        var queue = await hall.Matter("TAX-INV").GetQueueAsync();
        var ticket = await hall.Ticket(issued.TicketId).GetAsync();

        Assert.Equal(TicketState.Cancelled, cancelled.State);
        Assert.Equal(HallFixture.Morning.AddMinutes(3), ticket.FinishedAt);
        Assert.Equal([kept.TicketId], queue.TicketIds);
        Assert.Equal(["ticketIssued", "ticketCancelled"], ticket.History!.Select(h => h.Type));
    }

    [Fact]
    public async Task Cancel_CalledTicket_IsRefusedAndChangesNothing()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("03");
        var issued = await hall.IssueAsync("BIZ-REG");
        await hall.Window("03").CallNextAsync();
        var before = await HallPicture.TakeAsync(hall);

        await Assert.ThrowsAsync<ConflictException>(() => hall.Ticket(issued.TicketId).CancelAsync("kiosk"));

        (await HallPicture.TakeAsync(hall)).AssertSameAs(before);
    }

    [Fact]
    public async Task Cancel_CompletedTicket_IsRefusedAndChangesNothing()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("03");
        var issued = await hall.IssueAsync("BIZ-REG");
        await hall.ServeNextAsync("03", TimeSpan.FromMinutes(5));
        var before = await HallPicture.TakeAsync(hall);

        await Assert.ThrowsAsync<ConflictException>(() => hall.Ticket(issued.TicketId).CancelAsync("kiosk"));

        (await HallPicture.TakeAsync(hall)).AssertSameAs(before);
    }

    [Fact]
    public async Task Cancel_Twice_IsRefusedTheSecondTime()
    {
        await using var hall = await HallFixture.StartAsync();
        var issued = await hall.IssueAsync("BIZ-REG");
        await hall.Ticket(issued.TicketId).CancelAsync("kiosk");
        var before = await HallPicture.TakeAsync(hall);

        await Assert.ThrowsAsync<ConflictException>(() => hall.Ticket(issued.TicketId).CancelAsync("kiosk"));

        (await HallPicture.TakeAsync(hall)).AssertSameAs(before);
    }

    [Fact]
    public async Task Ticket_UnknownId_IsNotFound()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.IssueAsync("BIZ-REG");

        await Assert.ThrowsAsync<NotFoundException>(() => hall.Ticket("20261123-A002").GetAsync());
        await Assert.ThrowsAsync<NotFoundException>(() => hall.Ticket("not-a-ticket").CancelAsync("kiosk"));
    }

    [Fact]
    public async Task WaitSeconds_GrowsWhileWaiting()
    {
        await using var hall = await HallFixture.StartAsync();
        var issued = await hall.IssueAsync("BIZ-REG");

        hall.Clock.Advance(TimeSpan.FromSeconds(90));
        var afterNinetySeconds = await hall.Ticket(issued.TicketId).GetAsync();
        hall.Clock.Advance(TimeSpan.FromSeconds(60));
        var afterTwoAndAHalfMinutes = await hall.Ticket(issued.TicketId).GetAsync();

        Assert.Equal(0, issued.WaitSeconds);
        Assert.Equal(90, afterNinetySeconds.WaitSeconds);
        Assert.Equal(150, afterTwoAndAHalfMinutes.WaitSeconds);
    }

    [Fact]
    public async Task WaitSeconds_StopsAtTheFirstCall()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("03");
        var issued = await hall.IssueAsync("BIZ-REG");
        hall.Clock.Advance(TimeSpan.FromSeconds(200));
        await hall.Window("03").CallNextAsync();

        hall.Clock.Advance(TimeSpan.FromSeconds(45));
        await hall.Window("03").RecallAsync();
        hall.Clock.Advance(TimeSpan.FromSeconds(45));
        var ticket = await hall.Ticket(issued.TicketId).GetAsync();

        Assert.Equal(200, ticket.WaitSeconds);
    }

    [Fact]
    public async Task HandleSeconds_GrowsWhileServing_AndStopsAtCompletion()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("03");
        var issued = await hall.IssueAsync("BIZ-REG");
        await hall.Window("03").CallNextAsync();
        hall.Clock.Advance(TimeSpan.FromSeconds(20));
        var beforeStart = await hall.Ticket(issued.TicketId).GetAsync();
        await hall.Window("03").StartAsync();

        hall.Clock.Advance(TimeSpan.FromSeconds(300));
        var afterFiveMinutes = await hall.Ticket(issued.TicketId).GetAsync();
        hall.Clock.Advance(TimeSpan.FromSeconds(120));
        var afterSevenMinutes = await hall.Ticket(issued.TicketId).GetAsync();
        await hall.Window("03").CompleteAsync();
        hall.Clock.Advance(TimeSpan.FromSeconds(600));
        var tenMinutesAfterCompletion = await hall.Ticket(issued.TicketId).GetAsync();

        Assert.Null(beforeStart.HandleSeconds);
        Assert.Equal(300, afterFiveMinutes.HandleSeconds);
        Assert.Equal(TicketState.Serving, afterFiveMinutes.State);
        Assert.Equal(420, afterSevenMinutes.HandleSeconds);
        Assert.Equal(420, tenMinutesAfterCompletion.HandleSeconds);
    }

    [Fact]
    public async Task History_ListsEveryEventInJournalOrderWithItsHash()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        var issued = await hall.IssueAsync("BIZ-CHG");
        await hall.IssueAsync("TAX-INV");
        await hall.Window("01").CallNextAsync();
        await hall.Window("01").RecallAsync();
        await hall.Window("01").StartAsync();
        await hall.Window("01").CompleteAsync();
        await hall.Ticket(issued.TicketId).RateAsync(5, null, "visitor");

        var history = (await hall.Ticket(issued.TicketId).GetAsync()).History!;
        var journal = await hall.ReadJournalAsync();

        Assert.Equal(
            ["ticketIssued", "ticketCalled", "ticketRecalled", "serviceStarted", "serviceCompleted", "ticketRated"],
            history.Select(h => h.Type));
        Assert.Equal(history.Select(h => h.Seq).Order(), history.Select(h => h.Seq));
        Assert.All(history, h => Assert.Equal(journal.Single(r => r.Seq == h.Seq).Hash, h.Hash));
        Assert.Equal(["kiosk", "clerk01", "clerk01", "clerk01", "clerk01", "visitor"], history.Select(h => h.Actor));
    }
}
