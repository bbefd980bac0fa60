namespace HallMonitor.Grains.Tests;

/// <summary>
/// Orleans collects idle activations together with their timers. What must happen with no traffic at all —
/// overtime alerts, the midnight roll-over — still happens after every grain of the hall was collected,
/// because the hall's reminder brings the hall back and it wakes the queues and windows with a clock to watch.
/// </summary>
public sealed class CollectionTests
{
    /// <summary>The reminder ticks on the system clock; a second keeps these tests short.</summary>
    private static readonly TimeSpan WakePeriod = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task WaitAlert_StillComesAfterTheQueueWasCollected()
    {
        await using var hall = await HallFixture.StartAsync(wakePeriod: WakePeriod);
        var ticket = await hall.IssueAsync("BIZ-REG");

        await hall.CollectIdleActivationsAsync();
        hall.Clock.Advance(TimeSpan.FromMinutes(25));
        var journal = await Eventually.Async(hall.ReadJournalAsync, records => records.Any(r => r.Type == "alertRaised"));

        var raised = (AlertRaised)journal.Single(r => r.Type == "alertRaised").Event;
        Assert.Equal($"wait-{ticket.TicketId}", raised.Alert.AlertId);
        Assert.Equal(AlertLevel.Warning, raised.Alert.Level);
    }

    [Fact]
    public async Task HandleAlert_StillComesAfterTheWindowWasCollected()
    {
        await using var hall = await HallFixture.StartAsync(wakePeriod: WakePeriod);
        await hall.IssueAsync("TAX-INV");
        await hall.OpenAsync("04");
        var served = await hall.Window("04").CallNextAsync();
        await hall.Window("04").StartAsync();

        await hall.CollectIdleActivationsAsync();
        hall.Clock.Advance(TimeSpan.FromMinutes(11));
        var journal = await Eventually.Async(hall.ReadJournalAsync, records => records.Any(r => r.Type == "alertRaised"));

        var raised = (AlertRaised)journal.Single(r => r.Type == "alertRaised").Event;
        Assert.Equal($"handle-{served!.TicketId}", raised.Alert.AlertId);
        Assert.Equal("04", raised.Alert.Window);
    }

    [Fact]
    public async Task RollOver_StillHappensAfterTheHallWasCollected()
    {
        await using var hall = await HallFixture.StartAsync(wakePeriod: WakePeriod);
        var left = await hall.IssueAsync("RE-TRANS");

        await hall.CollectIdleActivationsAsync();
        hall.Clock.AdvanceTo(hall.NextMidnight().AddMinutes(5));
        var journal = await Eventually.Async(hall.ReadJournalAsync, records => records.Any(r => r.Type == "ticketExpired"));

        var expired = (TicketExpired)journal.Single(r => r.Type == "ticketExpired").Event;
        Assert.Equal(left.TicketId, expired.TicketId);
    }
}
