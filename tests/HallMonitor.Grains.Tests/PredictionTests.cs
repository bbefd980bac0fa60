namespace HallMonitor.Grains.Tests;

/// <summary>
/// Predicted calls (预计叫号) and predicted overtime (<c>waitPredicted</c>) on the manual clock. The test hall:
/// windows 01 and 02 serve every matter, 03 only BIZ-REG (wait target 30 min, handle target 20 min), 04 TAX-INV
/// (20 min, 10 min) and RE-TRANS.
/// </summary>
public sealed class PredictionTests
{
    private static readonly TimeSpan PredictPeriod = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task OpenWindows_TakeTheLinesInDispatchOrder_SharingTheComprehensiveWindow()
    {
        await using var hall = await HallFixture.StartAsync(predictPeriod: PredictPeriod);
        await hall.OpenAsync("01");
        await hall.OpenAsync("03");
        var biz = new[] { await hall.IssueAsync("BIZ-REG"), await hall.IssueAsync("BIZ-REG"), await hall.IssueAsync("BIZ-REG") };
        var tax = await hall.IssueAsync("TAX-INV");

        var prediction = await hall.Hall.PredictAsync(withTickets: true);

        var t0 = HallFixture.Morning;
        var bizLine = prediction.Matters.Single(m => m.Matter == "BIZ-REG");
        var taxLine = prediction.Matters.Single(m => m.Matter == "TAX-INV");

        // 01 and 03 call the first two numbers now; 01 takes the third after a 20-minute service (it was issued
        // before the TAX-INV number), and TAX-INV only after the one after that.
        Assert.Equal([t0, t0, t0.AddSeconds(1200)], bizLine.Tickets!.Select(t => t.CallAt!.Value).ToArray());
        Assert.Equal([.. biz.Select(t => t.TicketId)], bizLine.Tickets!.Select(t => t.TicketId).ToArray());
        Assert.Equal(t0.AddSeconds(2400), Assert.Single(taxLine.Tickets!).CallAt);
        Assert.Equal(tax.TicketId, taxLine.Tickets![0].TicketId);
        Assert.Equal((3, 2, 1200, t0.AddSeconds(1200), 0), (bizLine.Waiting, bizLine.ServingWindows, bizLine.HandleSeconds, bizLine.LastCallAt!.Value, bizLine.PastTarget));

        // A TAX-INV wait of 40 minutes passes its 20-minute target.
        Assert.Equal((1, 1, 1), (taxLine.Waiting, taxLine.ServingWindows, taxLine.PastTarget));
    }

    [Fact]
    public async Task AServiceUnderWay_FreesItsWindowAfterTheRecentAverageHandlingTime()
    {
        await using var hall = await HallFixture.StartAsync(predictPeriod: PredictPeriod);
        await hall.OpenAsync("03");

        // One BIZ-REG service of 10 minutes makes 10 minutes the matter's recent average.
        await hall.IssueAsync("BIZ-REG");
        await hall.ServeNextAsync("03", TimeSpan.FromMinutes(10));
        await hall.IssueAsync("BIZ-REG");
        await hall.Window("03").CallNextAsync();
        await hall.Window("03").StartAsync();
        var started = hall.Clock.GetUtcNow();
        hall.Clock.Advance(TimeSpan.FromMinutes(4));
        var next = await hall.IssueAsync("BIZ-REG");
        var priority = await hall.IssueAsync("BIZ-REG", priority: true);

        var line = (await hall.Hall.PredictAsync(withTickets: true)).Matters.Single(m => m.Matter == "BIZ-REG");

        Assert.Equal(600, line.HandleSeconds);
        Assert.Equal([priority.TicketId, next.TicketId], line.Tickets!.Select(t => t.TicketId).ToArray());
        Assert.Equal(started.AddMinutes(10), line.Tickets![0].CallAt);
        Assert.Equal(started.AddMinutes(20), line.Tickets![1].CallAt);
    }

    [Fact]
    public async Task EachCall_AlsoTakesTheHallsRecentTimeFromCallToStart()
    {
        await using var hall = await HallFixture.StartAsync(predictPeriod: PredictPeriod);
        await hall.OpenAsync("03");
        await hall.IssueAsync("BIZ-REG");
        await hall.Window("03").CallNextAsync();
        hall.Clock.Advance(TimeSpan.FromMinutes(2));
        await hall.Window("03").StartAsync();
        hall.Clock.Advance(TimeSpan.FromMinutes(10));
        await hall.Window("03").CompleteAsync();
        await hall.IssueAsync("BIZ-REG");
        await hall.IssueAsync("BIZ-REG");

        var line = (await hall.Hall.PredictAsync(withTickets: true)).Matters.Single(m => m.Matter == "BIZ-REG");

        // The idle window calls the first now and the second after the first's 2-minute walk-up and 10-minute service.
        var now = hall.Clock.GetUtcNow();
        Assert.Equal([now, now.AddMinutes(12)], line.Tickets!.Select(t => t.CallAt!.Value).ToArray());
    }

    [Fact]
    public async Task AMatterNoOpenWindowServes_IsNeverCalled()
    {
        await using var hall = await HallFixture.StartAsync(predictPeriod: PredictPeriod);
        await hall.OpenAsync("03");
        await hall.IssueAsync("TAX-INV");
        await hall.IssueAsync("TAX-INV");

        var line = (await hall.Hall.PredictAsync(withTickets: true)).Matters.Single(m => m.Matter == "TAX-INV");

        Assert.Equal((2, 0, 2), (line.Waiting, line.ServingWindows, line.PastTarget));
        Assert.Null(line.LastCallAt);
        Assert.All(line.Tickets!, t => Assert.Null(t.CallAt));
    }

    [Fact]
    public async Task ATicketPredictedPastItsTarget_RaisesAWarningWithThePredictedWait_AndMoreWindowsResolveIt()
    {
        await using var hall = await HallFixture.StartAsync(predictPeriod: PredictPeriod);
        var (_, _, third, raised) = await ThreeBehindOneWindowAsync(hall);
        var alert = Assert.Single(raised);
        Assert.Equal($"predicted-{third.TicketId}", alert.AlertId);
        Assert.Equal((AlertKind.WaitPredicted, AlertLevel.Warning, AlertState.Open), (alert.Kind, alert.Level, alert.State));
        Assert.Equal((third.TicketId, third.Number, "BIZ-REG"), (alert.TicketId, alert.Number, alert.Matter));
        Assert.Equal((1800, 2430), (alert.Target, alert.Value));
        Assert.Equal(HallFixture.Morning.AddSeconds(2430), alert.Due);
        Assert.Equal(HallFixture.Morning + PredictPeriod, alert.RaisedAt);

        // A comprehensive window opens: the third number is now called after ~21 minutes, under 90 % of the target.
        await hall.OpenAsync("01");
        hall.Clock.Advance(PredictPeriod);
        var resolved = await Eventually.Async(() => hall.Hall.GetAlertsAsync(includeResolved: true), alerts => alerts.Any(a => a.State == AlertState.Resolved));
        Assert.Equal(("improved", HallFixture.Morning + 2 * PredictPeriod), (Assert.Single(resolved).Resolution, Assert.Single(resolved).ResolvedAt!.Value));

        // At most one predicted card a ticket a day: with the window closed again, a new fourth number gets one (in
        // the same tick), the third none.
        await hall.Window("01").CloseAsync("clerk01");
        var fourth = await hall.IssueAsync("BIZ-REG");
        hall.Clock.Advance(PredictPeriod);
        var open = await Eventually.Async(() => hall.Hall.GetAlertsAsync(includeResolved: false), alerts => alerts.Count > 0);
        Assert.Equal($"predicted-{fourth.TicketId}", Assert.Single(open).AlertId);
        Assert.Single(await hall.Hall.GetAlertsAsync(includeResolved: true), a => a.TicketId == third.TicketId);
    }

    [Fact]
    public async Task CallingAPredictedTicket_ResolvesItsPredictionInTheSameBatch()
    {
        await using var hall = await HallFixture.StartAsync(predictPeriod: PredictPeriod);
        var (first, second, third, _) = await ThreeBehindOneWindowAsync(hall);

        // The two ahead leave (the clock stands still, so no prediction runs in between) and the third is called.
        await hall.Matter("BIZ-REG").CancelAsync(first.TicketId, "kiosk");
        await hall.Matter("BIZ-REG").CancelAsync(second.TicketId, "kiosk");
        var called = await hall.Window("03").CallNextAsync();

        var alert = Assert.Single(await hall.Hall.GetAlertsAsync(includeResolved: true));
        var journal = await hall.ReadJournalAsync();
        var call = journal.Single(r => r.Event is TicketCalled c && c.TicketId == third.TicketId);
        var resolution = journal.Single(r => r.Event is AlertResolved { Alert.Kind: AlertKind.WaitPredicted });
        Assert.Equal(third.TicketId, called!.TicketId);
        Assert.Equal(("called", AlertState.Resolved), (alert.Resolution, alert.State));
        Assert.Equal(call.Seq + 1, resolution.Seq);
    }

    [Fact]
    public async Task TheWaitWarning_TakesOverFromThePrediction()
    {
        await using var hall = await HallFixture.StartAsync(predictPeriod: PredictPeriod);
        var (_, _, third, _) = await ThreeBehindOneWindowAsync(hall);

        // Nobody calls: at 80 % of the wait target every number gets its wait warning, and the third's prediction ends.
        hall.Clock.Advance(TimeSpan.FromSeconds(1800 * 0.8) - PredictPeriod);
        var alerts = await Eventually.Async(
            () => hall.Hall.GetAlertsAsync(includeResolved: true),
            all => all.Count(a => a.Kind == AlertKind.WaitOvertime) == 3 && all.Any(a => a.State == AlertState.Resolved));

        var predicted = alerts.Single(a => a.Kind == AlertKind.WaitPredicted);
        Assert.Equal(("warned", third.TicketId), (predicted.Resolution, predicted.TicketId));
        Assert.Equal(3, alerts.Count(a => a.State == AlertState.Open));
    }

    [Fact]
    public async Task NoPrediction_ForAMatterNoOpenWindowServes_OrOnceItIsTooLateToAct()
    {
        await using var hall = await HallFixture.StartAsync(predictPeriod: PredictPeriod);
        await hall.IssueAsync("BIZ-REG");
        await hall.IssueAsync("BIZ-REG");
        await hall.IssueAsync("BIZ-REG");

        // Unserved for 25 minutes (the wait warning comes at 24): no prediction, only the wait warnings.
        hall.Clock.Advance(TimeSpan.FromMinutes(25));
        await Eventually.Async(() => hall.Hall.GetAlertsAsync(includeResolved: true), all => all.Count == 3);

        // A window opens: the third number will now wait past its target, but its warning is already out. Two new
        // numbers are predicted past theirs while there is time to act: they get the card (in the same tick), it none.
        await hall.OpenAsync("03");
        var fourth = await hall.IssueAsync("BIZ-REG");
        var fifth = await hall.IssueAsync("BIZ-REG");
        hall.Clock.Advance(PredictPeriod);
        var all = await Eventually.Async(() => hall.Hall.GetAlertsAsync(includeResolved: true), alerts => alerts.Count > 3);

        Assert.Equal(5, all.Count);
        Assert.Equal(3, all.Count(a => a.Kind == AlertKind.WaitOvertime));
        Assert.Equal(
            new[] { fourth.TicketId, fifth.TicketId }.Order(),
            all.Where(a => a.Kind == AlertKind.WaitPredicted).Select(a => a.TicketId!).Order());
    }

    /// <summary>
    /// Window 03 alone serves three BIZ-REG numbers (20-minute services, wait target 30 minutes): the third is likely
    /// called after 40 minutes. Answers the three and the open alerts once the first prediction has raised its card.
    /// </summary>
    private static async Task<(TicketView First, TicketView Second, TicketView Third, IReadOnlyList<AlertView> Open)> ThreeBehindOneWindowAsync(HallFixture hall)
    {
        await hall.OpenAsync("03");
        var first = await hall.IssueAsync("BIZ-REG");
        var second = await hall.IssueAsync("BIZ-REG");
        var third = await hall.IssueAsync("BIZ-REG");
        hall.Clock.Advance(PredictPeriod);
        var open = await Eventually.Async(() => hall.Hall.GetAlertsAsync(includeResolved: false), alerts => alerts.Count > 0);
        return (first, second, third, open);
    }
}
