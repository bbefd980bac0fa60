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
}
