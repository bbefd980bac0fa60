namespace HallMonitor.Grains.Tests;

/// <summary>
/// Taking a number with a request id: asked again (an answer lost when the hall's silo went away, a kiosk's retry
/// after a 503), the hall answers the ticket it issued and issues nothing, in the same activation, in a later one,
/// and concurrently.
/// </summary>
public sealed class IdempotentIssueTests
{
    [Fact]
    public async Task SameRequestAgain_AnswersTheSameTicket_AndJournalsOneIssue()
    {
        await using var hall = await HallFixture.StartAsync();

        var first = await hall.Matter("BIZ-REG").IssueAsync(TicketChannel.Kiosk, priority: false, "kiosk", "key:kiosk-7-press-12");
        var again = await hall.Matter("BIZ-REG").IssueAsync(TicketChannel.Kiosk, priority: false, "kiosk", "key:kiosk-7-press-12");
        var other = await hall.Matter("BIZ-REG").IssueAsync(TicketChannel.Kiosk, priority: false, "kiosk", "key:kiosk-7-press-13");

        Assert.Equal(first.TicketId, again.TicketId);
        Assert.Equal(["A001", "A002"], [first.Number, other.Number]);
        Assert.Equal(2, (await hall.ReadJournalAsync()).Count(r => r.Event is TicketIssued));
    }

    [Fact]
    public async Task SameRequestConcurrently_IssuesOnce()
    {
        await using var hall = await HallFixture.StartAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() =>
            hall.Matter("TAX-INV").IssueAsync(TicketChannel.Kiosk, priority: false, "kiosk", "key:retry-storm"))));

        Assert.Single(answers.Select(a => a.TicketId).Distinct());
        Assert.Single(await hall.ReadJournalAsync(), r => r.Event is TicketIssued);
    }

    [Fact]
    public async Task SameRequestToTheHallsNextActivation_AnswersTheTicketFromTheJournal()
    {
        await using var hall = await HallFixture.StartAsync();
        var first = await hall.Matter("BIZ-REG").IssueAsync(TicketChannel.Kiosk, priority: true, "kiosk", "key:before-the-move");
        await hall.SettleAsync();

        // Every activation collected: the next hall reads its checkpoint and the journal after it, as a survivor would.
        await hall.CollectIdleActivationsAsync();
        var again = await hall.Matter("BIZ-REG").IssueAsync(TicketChannel.Kiosk, priority: true, "kiosk", "key:before-the-move");

        Assert.Equal(first.TicketId, again.TicketId);
        Assert.True(again.Priority);
        Assert.Single(await hall.ReadJournalAsync(), r => r.Event is TicketIssued);
    }

    [Fact]
    public async Task SameRequestAfterTheWindow_IsANewTicket_AndTheHallKeepsOnlyTheWindowsRequests()
    {
        await using var hall = await HallFixture.StartAsync();
        var first = await hall.Matter("BIZ-REG").IssueAsync(TicketChannel.Kiosk, priority: false, "kiosk", "key:long-ago");
        hall.Clock.Advance(HallProjection.RequestWindow + TimeSpan.FromSeconds(1));

        var later = await hall.Matter("BIZ-REG").IssueAsync(TicketChannel.Kiosk, priority: false, "kiosk", "key:long-ago");
        await hall.CheckpointHallAsync();

        Assert.NotEqual(first.TicketId, later.TicketId);
        var checkpoint = await hall.ReadCheckpointAsync<HallProjection>("hall", "hall", HallFixture.HallId);
        Assert.Equal([later.TicketId], checkpoint!.Requests.Select(r => r.TicketId));
    }

    [Fact]
    public async Task SameRequestOnTheNextServiceDay_IsANewTicket()
    {
        await using var hall = await HallFixture.StartAsync();
        var first = await hall.Matter("BIZ-REG").IssueAsync(TicketChannel.Kiosk, priority: false, "kiosk", "key:daily");

        await hall.StartNextServiceDayAsync(expectedExpiries: 1);
        var next = await hall.Matter("BIZ-REG").IssueAsync(TicketChannel.Kiosk, priority: false, "kiosk", "key:daily");

        Assert.NotEqual(first.TicketId, next.TicketId);
        Assert.Equal("A001", next.Number);
    }
}
