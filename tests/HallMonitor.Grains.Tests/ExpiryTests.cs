namespace HallMonitor.Grains.Tests;

/// <summary>At local midnight the hall expires whatever is left of the service day.</summary>
public sealed class ExpiryTests
{
    [Fact]
    public async Task DayEnd_ExpiresTicketsStillWaiting()
    {
        await using var hall = await HallFixture.StartAsync();
        var registration = await hall.IssueAsync("BIZ-REG");
        var priority = await hall.IssueAsync("TAX-INV", priority: true);
        var transfer = await hall.IssueAsync("RE-TRANS");

        await hall.StartNextServiceDayAsync(expectedExpiries: 3);

        foreach (var issued in new[] { registration, priority, transfer })
        {
            var ticket = await hall.Ticket(issued.TicketId).GetAsync();
            Assert.Equal(TicketState.Expired, ticket.State);
            Assert.Equal(hall.NextMidnight().AddDays(-1), ticket.FinishedAt!.Value, TimeSpan.FromSeconds(1));
            // The ticket waited all day, so its wait alert is resolved in the same batch, after the expiry.
            var expiry = ticket.History!.Last(h => !h.Type.StartsWith("alert", StringComparison.Ordinal));
            Assert.Equal("ticketExpired", expiry.Type);
            Assert.Equal("system", expiry.Actor);
            Assert.Equal(("alertResolved", expiry.Seq + 1), (ticket.History![^1].Type, ticket.History[^1].Seq));
        }
    }

    [Fact]
    public async Task CallNextAfterMidnight_NeverCallsYesterdaysTicket_EvenBeforeTheRollOverHasRun()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01", "王芳");
        var yesterday = await hall.IssueAsync("BIZ-REG");
        hall.Clock.AdvanceTo(hall.NextMidnight().AddMinutes(-1));
        await hall.SettleAsync();

        // The roll-over's first write fails, so it will try again in a minute; the morning begins before that.
        var epoch = hall.Journal.Epoch;
        hall.Journal.FailNextAppends(1);
        hall.Clock.Advance(TimeSpan.FromSeconds(61));
        await Eventually.Async(() => Task.FromResult(hall.Journal.Epoch), e => e > epoch);
        var today = await hall.IssueAsync("BIZ-REG");
        var called = await hall.Window("01").CallNextAsync();

        Assert.Equal(today.TicketId, called?.TicketId);
        Assert.Equal(TicketState.Expired, (await hall.Ticket(yesterday.TicketId).GetAsync()).State);
    }

    [Fact]
    public async Task DayEnd_EmptiesTheQueues()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.IssueAsync("BIZ-REG");
        await hall.IssueAsync("BIZ-CHG");
        await hall.IssueAsync("TAX-INV");

        await hall.StartNextServiceDayAsync(expectedExpiries: 3);
        var snapshot = await hall.Hall.GetSnapshotAsync();

        Assert.All(snapshot.Queues, q => Assert.Equal(0, q.Waiting));
        foreach (var code in HallFixture.MatterCodes)
        {
            Assert.Empty((await hall.Matter(code).GetQueueAsync()).TicketIds);
        }
    }

    [Fact]
    public async Task DayEnd_ExpiresTheTicketsAtWindows_AndLeavesTheWindowsOpenAndIdle()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01", "王芳");
        await hall.OpenAsync("02", "李娜");
        var called = await hall.IssueAsync("BIZ-REG");
        var serving = await hall.IssueAsync("TAX-INV");
        await hall.Window("01").CallNextAsync();
        await hall.Window("02").CallNextAsync();
        await hall.Window("02").StartAsync();

        await hall.StartNextServiceDayAsync(expectedExpiries: 2);
        var first = await hall.Window("01").GetAsync();
        var second = await hall.Window("02").GetAsync();
        var expired = (await hall.ReadJournalAsync()).Select(r => r.Event).OfType<TicketExpired>().ToList();

        Assert.Equal(TicketState.Expired, (await hall.Ticket(called.TicketId).GetAsync()).State);
        Assert.Equal(TicketState.Expired, (await hall.Ticket(serving.TicketId).GetAsync()).State);
        Assert.Equal((WindowState.Idle, "王芳", (WindowTicket?)null), (first.State, first.Clerk, first.Ticket));
        Assert.Equal((WindowState.Idle, "李娜", (WindowTicket?)null), (second.State, second.Clerk, second.Ticket));
        Assert.Equal(TicketState.Called, expired.Single(e => e.TicketId == called.TicketId).FromState);
        Assert.Equal(TicketState.Serving, expired.Single(e => e.TicketId == serving.TicketId).FromState);
    }

    [Fact]
    public async Task DayEnd_LeavesFinishedTicketsAsTheyAre()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("03");
        var completed = await hall.IssueAsync("BIZ-REG");
        var cancelled = await hall.IssueAsync("BIZ-REG");
        await hall.ServeNextAsync("03", TimeSpan.FromMinutes(5));
        await hall.Ticket(cancelled.TicketId).CancelAsync("kiosk");
        await hall.IssueAsync("BIZ-REG");

        await hall.StartNextServiceDayAsync(expectedExpiries: 1);

        Assert.Equal(TicketState.Completed, (await hall.Ticket(completed.TicketId).GetAsync()).State);
        Assert.Equal(TicketState.Cancelled, (await hall.Ticket(cancelled.TicketId).GetAsync()).State);
        Assert.Single(await hall.ReadJournalAsync(), r => r.Type == "ticketExpired");
    }

    [Fact]
    public async Task DayEnd_NumberingStartsAgainAtOne()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.IssueAsync("BIZ-REG");
        await hall.IssueAsync("TAX-INV");

        await hall.StartNextServiceDayAsync(expectedExpiries: 2);
        var registration = await hall.IssueAsync("BIZ-CHG");
        var tax = await hall.IssueAsync("TAX-INV");

        Assert.Equal("20261124-A001", registration.TicketId);
        Assert.Equal("20261124-B001", tax.TicketId);
    }

    [Fact]
    public async Task DayEnd_TodaysKpisStartFromZero()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("03");
        var rated = await hall.IssueAsync("BIZ-REG");
        await hall.IssueAsync("BIZ-REG");
        await hall.IssueAsync("BIZ-REG");
        await hall.ServeNextAsync("03", TimeSpan.FromMinutes(5));
        await hall.Ticket(rated.TicketId).RateAsync(5, null, "visitor");
        await hall.Window("03").CallNextAsync();
        await hall.Window("03").NoShowAsync();

        await hall.StartNextServiceDayAsync(expectedExpiries: 1);
        var snapshot = await hall.Hall.GetSnapshotAsync();

        Assert.Equal(new DateOnly(2026, 11, 24), snapshot.ServiceDay);
        Assert.Equal(
            new HallKpis { Issued = 0, Waiting = 0, Completed = 0, NoShow = 0, Rated = 0, AvgWaitSeconds = null, AvgHandleSeconds = null, ServiceLevel = null, SatisfactionRate = null },
            snapshot.Kpis);
        Assert.All(snapshot.Windows, w => Assert.Equal(0, w.ServedToday));
    }

    [Fact]
    public async Task DayEnd_NewDayTicketsAreServedNormally()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("03");
        await hall.IssueAsync("BIZ-REG");

        await hall.StartNextServiceDayAsync(expectedExpiries: 1);
        var today = await hall.IssueAsync("BIZ-REG");
        var called = await hall.Window("03").CallNextAsync();

        Assert.Equal(today.TicketId, called!.TicketId);
    }

    [Fact]
    public async Task DayEnd_RollsOverAgainTheFollowingNight()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.IssueAsync("BIZ-REG");
        await hall.StartNextServiceDayAsync(expectedExpiries: 1);
        var secondDay = await hall.IssueAsync("TAX-INV");
        hall.Clock.Advance(TimeSpan.FromHours(9));

        await hall.StartNextServiceDayAsync(expectedExpiries: 1);

        Assert.Equal(TicketState.Expired, (await hall.Ticket(secondDay.TicketId).GetAsync()).State);
        Assert.Equal("20261125-B001", (await hall.IssueAsync("TAX-INV")).TicketId);
    }

    [Fact]
    public async Task DayEnd_WhileTheSiloWasDown_ExpiresYesterdaysTicketsOnStart()
    {
        await using var before = await HallFixture.StartAsync();
        await before.OpenAsync("01");
        var waiting = await before.IssueAsync("BIZ-REG");
        var called = await before.IssueAsync("TAX-INV");
        await before.Window("01").CallNextAsync();

        await using var after = await before.RestartAsync(downtime: TimeSpan.FromHours(16));
        await after.WaitForExpiriesAsync(2);

        Assert.Equal(TicketState.Expired, (await after.Ticket(waiting.TicketId).GetAsync()).State);
        Assert.Equal(TicketState.Expired, (await after.Ticket(called.TicketId).GetAsync()).State);
        Assert.Equal(WindowState.Idle, (await after.Window("01").GetAsync()).State);
        Assert.Equal("20261124-A001", (await after.IssueAsync("BIZ-REG")).TicketId);
    }

    [Fact]
    public async Task ExpiredTicket_CannotBeCancelled()
    {
        await using var hall = await HallFixture.StartAsync();
        var issued = await hall.IssueAsync("BIZ-REG");
        await hall.StartNextServiceDayAsync(expectedExpiries: 1);
        var before = await HallPicture.TakeAsync(hall);

        await Assert.ThrowsAsync<ConflictException>(() => hall.Ticket(issued.TicketId).CancelAsync("kiosk"));

        (await HallPicture.TakeAsync(hall)).AssertSameAs(before);
    }
}
