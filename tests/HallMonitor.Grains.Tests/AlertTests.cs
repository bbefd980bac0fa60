namespace HallMonitor.Grains.Tests;

/// <summary>Overtime alerts (超时预警) raised by grain timers on the manual clock.</summary>
public sealed class AlertTests
{
    private static readonly TimeSpan WaitWarning = TimeSpan.FromSeconds(1800 * 0.8);
    private static readonly TimeSpan WaitTarget = TimeSpan.FromSeconds(1800);

    [Fact]
    public async Task WaitingTicket_IsWarnedAtTheWarnRatioAndOvertimeAtTheTarget()
    {
        await using var hall = await HallFixture.StartAsync();
        var ticket = await hall.IssueAsync("BIZ-REG");

        await AdvanceAsync(hall, WaitWarning - TimeSpan.FromSeconds(1));
        var before = await hall.Hall.GetAlertsAsync(includeResolved: true);
        await AdvanceAsync(hall, TimeSpan.FromSeconds(1));
        var warned = Assert.Single(await hall.Hall.GetAlertsAsync(includeResolved: false));
        await AdvanceAsync(hall, WaitTarget - WaitWarning);
        var overtime = Assert.Single(await hall.Hall.GetAlertsAsync(includeResolved: false));

        Assert.Empty(before);
        Assert.Equal($"wait-{ticket.TicketId}", warned.AlertId);
        Assert.Equal(AlertKind.WaitOvertime, warned.Kind);
        Assert.Equal(AlertLevel.Warning, warned.Level);
        Assert.Equal(HallFixture.Morning + WaitWarning, warned.RaisedAt);
        Assert.Equal(1440, warned.Value);
        Assert.Equal(AlertLevel.Overtime, overtime.Level);
        Assert.Equal(HallFixture.Morning + WaitTarget, overtime.EscalatedAt);
        Assert.Equal(warned.RaisedAt, overtime.RaisedAt);
    }

    [Fact]
    public async Task CallingTheTicket_ResolvesItsWaitAlertInTheSameJournalBatch()
    {
        await using var hall = await HallFixture.StartAsync();
        var ticket = await hall.IssueAsync("BIZ-REG");
        await AdvanceAsync(hall, WaitWarning);
        await hall.OpenAsync("03");

        await hall.Window("03").CallNextAsync();
        var alert = Assert.Single(await hall.Hall.GetAlertsAsync(includeResolved: true));
        var journal = await hall.Journal.ReadAsync(HallFixture.HallId, new JournalQuery());

        Assert.Equal(AlertState.Resolved, alert.State);
        Assert.Equal("called", alert.Resolution);
        Assert.Empty(await hall.Hall.GetAlertsAsync(includeResolved: false));
        var called = journal.Single(r => r.Type == "ticketCalled");
        var resolved = journal.Single(r => r.Type == "alertResolved");
        Assert.Equal(called.Seq + 1, resolved.Seq);
        Assert.Equal(called.At, resolved.At);
        Assert.Equal(ticket.TicketId, ((AlertResolved)resolved.Event).Alert.TicketId);
    }

    [Fact]
    public async Task TicketCalledBeforeItsWarning_NeverRaisesAnAlert()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.IssueAsync("BIZ-REG");
        await hall.OpenAsync("03");
        await AdvanceAsync(hall, WaitWarning - TimeSpan.FromSeconds(1));

        await hall.Window("03").CallNextAsync();
        await AdvanceAsync(hall, TimeSpan.FromHours(2));

        Assert.Empty(await hall.Hall.GetAlertsAsync(includeResolved: true));
    }

    [Fact]
    public async Task LongService_RaisesAHandleAlertThatCompletionResolves()
    {
        await using var hall = await HallFixture.StartAsync();
        var ticket = await hall.IssueAsync("BIZ-REG");
        await hall.OpenAsync("03", "王芳");
        await hall.Window("03").CallNextAsync();
        await hall.Window("03").StartAsync();

        await AdvanceAsync(hall, TimeSpan.FromSeconds(1200 * 0.8), "03");
        var warned = Assert.Single(await hall.Hall.GetAlertsAsync(includeResolved: false));
        await AdvanceAsync(hall, TimeSpan.FromSeconds(1200 * 0.2), "03");
        var overtime = Assert.Single(await hall.Hall.GetAlertsAsync(includeResolved: false));
        await hall.Window("03").CompleteAsync();
        var resolved = Assert.Single(await hall.Hall.GetAlertsAsync(includeResolved: true));

        Assert.Equal($"handle-{ticket.TicketId}", warned.AlertId);
        Assert.Equal(AlertKind.HandleOvertime, warned.Kind);
        Assert.Equal("03", warned.Window);
        Assert.Equal(AlertLevel.Warning, warned.Level);
        Assert.Equal(AlertLevel.Overtime, overtime.Level);
        Assert.Equal(AlertState.Resolved, resolved.State);
        Assert.Equal("completed", resolved.Resolution);
        Assert.Equal(1200, resolved.Value);
    }

    [Fact]
    public async Task TransferredService_ResolvesItsHandleAlert()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.IssueAsync("BIZ-REG");
        await hall.OpenAsync("03");
        await hall.Window("03").CallNextAsync();
        await hall.Window("03").StartAsync();
        await AdvanceAsync(hall, TimeSpan.FromSeconds(1000), "03");

        await hall.Window("03").TransferAsync("TAX-INV");

        var alert = Assert.Single(await hall.Hall.GetAlertsAsync(includeResolved: true));
        Assert.Equal(AlertState.Resolved, alert.State);
        Assert.Equal("ended", alert.Resolution);
    }

    [Fact]
    public async Task LongQueue_RaisesABacklogThatEscalatesAndResolvesWhenItShortens()
    {
        await using var hall = await HallFixture.StartAsync();
        for (var i = 0; i < 15; i++)
        {
            await hall.IssueAsync("TAX-INV");
        }

        var none = await hall.Hall.GetAlertsAsync(includeResolved: true);
        await hall.IssueAsync("TAX-INV");
        var warned = Assert.Single(await hall.Hall.GetAlertsAsync(includeResolved: false));
        for (var i = 0; i < 5; i++)
        {
            await hall.IssueAsync("TAX-INV");
        }

        var overtime = Assert.Single(await hall.Hall.GetAlertsAsync(includeResolved: false));
        await hall.OpenAsync("04");
        for (var i = 0; i < 6; i++)
        {
            await hall.Window("04").CallNextAsync();
            await hall.Window("04").NoShowAsync();
        }

        var resolved = Assert.Single(await hall.Hall.GetAlertsAsync(includeResolved: true));

        Assert.Empty(none);
        Assert.Equal("backlog-TAX-INV-20261123-1", warned.AlertId);
        Assert.Equal(AlertKind.QueueBacklog, warned.Kind);
        Assert.Equal(AlertLevel.Warning, warned.Level);
        Assert.Equal(16, warned.Value);
        Assert.Equal(AlertLevel.Overtime, overtime.Level);
        Assert.Equal(21, overtime.Value);
        Assert.Equal(AlertState.Resolved, resolved.State);
        Assert.Equal(15, resolved.Value);
    }

    [Fact]
    public async Task Acknowledge_RecordsWhoAndWhenOnceAndOnlyWhileOpen()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.IssueAsync("BIZ-REG");
        await AdvanceAsync(hall, WaitWarning);
        var alert = Assert.Single(await hall.Hall.GetAlertsAsync(includeResolved: false));
        hall.Clock.Advance(TimeSpan.FromSeconds(5));

        var acknowledged = await hall.Hall.AcknowledgeAlertAsync(alert.AlertId, "值班长张");
        var again = await Assert.ThrowsAsync<ConflictException>(() => hall.Hall.AcknowledgeAlertAsync(alert.AlertId, "someone"));
        await hall.OpenAsync("03");
        await hall.Window("03").CallNextAsync();
        var afterResolve = await Assert.ThrowsAsync<ConflictException>(() => hall.Hall.AcknowledgeAlertAsync(alert.AlertId, "someone"));
        await Assert.ThrowsAsync<NotFoundException>(() => hall.Hall.AcknowledgeAlertAsync("wait-nothing", "someone"));

        Assert.Equal("值班长张", acknowledged.AcknowledgedBy);
        Assert.Equal(HallFixture.Morning + WaitWarning + TimeSpan.FromSeconds(5), acknowledged.AcknowledgedAt);
        Assert.Equal(AlertState.Open, acknowledged.State);
        Assert.Contains("already acknowledged by 值班长张", again.Message, StringComparison.Ordinal);
        Assert.Contains("resolved", afterResolve.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlertsAndTheirClocks_SurviveACrash_AndAMomentPassedDuringTheDowntimeFiresAtOnce()
    {
        var before = await HallFixture.StartAsync();
        var first = await before.IssueAsync("BIZ-REG");
        await AdvanceAsync(before, TimeSpan.FromSeconds(600));
        var second = await before.IssueAsync("BIZ-REG");
        await AdvanceAsync(before, WaitWarning - TimeSpan.FromSeconds(600));
        Assert.Single(await before.Hall.GetAlertsAsync(includeResolved: false));

        // Down for 12 minutes: the first ticket passed its target and the second its warning while nothing ran.
        // Nobody calls the matter after the restart; the hall wakes it, and no time passes on the clock.
        await using var hall = await before.CrashAsync(TimeSpan.FromMinutes(12));
        var alerts = await Eventually.Async(
            async () =>
            {
                hall.Clock.Advance(TimeSpan.Zero);
                return await hall.Hall.GetAlertsAsync(includeResolved: false);
            },
            a => a.Count == 2 && a.All(x => x.RaisedAt == hall.Clock.GetUtcNow() || x.EscalatedAt == hall.Clock.GetUtcNow()));

        var firstAlert = alerts.Single(a => a.TicketId == first.TicketId);
        var secondAlert = alerts.Single(a => a.TicketId == second.TicketId);
        Assert.Equal(AlertLevel.Overtime, firstAlert.Level);
        Assert.Equal(HallFixture.Morning + WaitWarning, firstAlert.RaisedAt);
        Assert.Equal(hall.Clock.GetUtcNow(), firstAlert.EscalatedAt);
        Assert.Equal(AlertLevel.Warning, secondAlert.Level);
        Assert.Equal(hall.Clock.GetUtcNow(), secondAlert.RaisedAt);
    }

    [Fact]
    public async Task ExpiredTicket_ResolvesItsWaitAlert()
    {
        await using var hall = await HallFixture.StartAsync(now: HallFixture.Morning.AddHours(14));
        await hall.IssueAsync("BIZ-REG");
        await AdvanceAsync(hall, WaitTarget);

        // Midnight passes: the hall's roll-over expires the ticket on its own, in the background.
        await AdvanceAsync(hall, TimeSpan.FromHours(1));
        var alerts = await Eventually.Async(() => hall.Hall.GetAlertsAsync(includeResolved: true), a => a.Count == 1 && a[0].State == AlertState.Resolved);

        Assert.Equal("expired", alerts[0].Resolution);
    }

    [Fact]
    public async Task Snapshot_ListsOpenAlertsAndCountsThem()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.IssueAsync("BIZ-REG");
        await hall.IssueAsync("TAX-INV");

        await AdvanceAsync(hall, TimeSpan.FromSeconds(1200 * 0.8));
        var snapshot = await hall.Hall.GetSnapshotAsync();

        Assert.Equal(1, snapshot.Kpis.OpenAlerts);
        Assert.Equal("TAX-INV", Assert.Single(snapshot.Alerts).Matter);
    }

    /// <summary>Moves the clock and waits until the matters (and the window, if given) have handled the ticks due.</summary>
    private static async Task AdvanceAsync(HallFixture hall, TimeSpan by, string? window = null)
    {
        hall.Clock.Advance(by);
        foreach (var matter in HallFixture.MatterCodes)
        {
            await hall.Matter(matter).GetQueueAsync();
        }

        if (window is not null)
        {
            await hall.Window(window).GetAsync();
        }
    }
}
