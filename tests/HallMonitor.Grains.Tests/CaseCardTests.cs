namespace HallMonitor.Grains.Tests;

/// <summary>
/// A case's cards and a follow-up's overdue card come on time with nobody touching them, also after their grains were
/// collected: the hall's reminder wakes exactly the cases and follow-ups with a card due.
/// </summary>
public sealed class CaseCardTests
{
    /// <summary>The reminder ticks on the system clock; a second keeps these tests short.</summary>
    private static readonly TimeSpan WakePeriod = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    [Fact]
    public async Task CaseDeadline_YellowWithinTheLastWorkingDay_ThenRed_ThenStatutory_AfterTheCaseWasCollected()
    {
        await using var hall = await HallFixture.StartAsync(CaseTests.HallsWithCases(), wakePeriod: WakePeriod);
        var caseId = (await CaseTests.AcceptCaseAsync(hall)).CaseId!;

        await hall.CollectIdleActivationsAsync();
        hall.Clock.AdvanceTo(new DateTimeOffset(2026, 11, 25, 23, 59, 0, Shanghai));
        await hall.Hall.GetSnapshotAsync();
        Assert.DoesNotContain(await hall.ReadJournalAsync(), r => r.Event is AlertRaised);

        // Thursday 26 is the last working day before the promised deadline (the end of that day).
        hall.Clock.AdvanceTo(new DateTimeOffset(2026, 11, 26, 0, 1, 0, Shanghai));
        var yellow = await RaisedAsync(hall, AlertKind.CaseDeadline);
        Assert.Equal((AlertLevel.Warning, $"case-{caseId}", "04"), (yellow.Level, yellow.AlertId, yellow.Window));
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 0, 0, 0, Shanghai), yellow.Due);

        await hall.CollectIdleActivationsAsync();
        hall.Clock.AdvanceTo(new DateTimeOffset(2026, 11, 27, 0, 1, 0, Shanghai));
        var red = (AlertEscalated)(await Eventually.Async(hall.ReadJournalAsync, records => records.Any(r => r.Event is AlertEscalated))).Single(r => r.Event is AlertEscalated).Event;
        Assert.Equal(AlertLevel.Overtime, red.Alert.Level);

        await hall.CollectIdleActivationsAsync();
        hall.Clock.AdvanceTo(new DateTimeOffset(2026, 12, 1, 0, 1, 0, Shanghai));
        var statutory = await RaisedAsync(hall, AlertKind.CaseStatutoryOverdue);
        Assert.Equal((AlertLevel.Overtime, $"statutory-{caseId}"), (statutory.Level, statutory.AlertId));
        Assert.Equal(CaseLevel.StatutoryRed, (await hall.Hall.GetCasesAsync(CaseFilter.Overdue, null)).Single().Level);
    }

    [Fact]
    public async Task CaseCards_ResolveWhenTheCaseIsDecided()
    {
        await using var hall = await HallFixture.StartAsync(CaseTests.HallsWithCases(), wakePeriod: WakePeriod);
        var caseId = (await CaseTests.AcceptCaseAsync(hall)).CaseId!;
        var grain = hall.Grains.GetCase(HallFixture.HallId, caseId);
        await grain.StepAsync(CaseStep.Review, "张伟", null);
        hall.Clock.AdvanceTo(new DateTimeOffset(2026, 12, 1, 0, 1, 0, Shanghai));
        await RaisedAsync(hall, AlertKind.CaseStatutoryOverdue);

        var decided = await grain.StepAsync(CaseStep.Decide, "张伟", null);
        var resolved = (await hall.ReadJournalAsync()).Where(r => r.Event is AlertResolved).Select(r => ((AlertResolved)r.Event).Alert).ToList();

        Assert.False(decided.OnTime);
        Assert.Equal([$"case-{caseId}", $"statutory-{caseId}"], resolved.Select(a => a.AlertId).Order());
        Assert.All(resolved, a => Assert.Equal("decided", a.Resolution));
        Assert.DoesNotContain(await hall.Hall.GetAlertsAsync(includeResolved: false), a => a.TicketId == caseId);
    }

    [Fact]
    public async Task CaseCard_IsAcknowledgedThroughTheHall()
    {
        await using var hall = await HallFixture.StartAsync(CaseTests.HallsWithCases(), wakePeriod: WakePeriod);
        var caseId = (await CaseTests.AcceptCaseAsync(hall)).CaseId!;
        hall.Clock.AdvanceTo(new DateTimeOffset(2026, 11, 26, 9, 0, 0, Shanghai));
        await RaisedAsync(hall, AlertKind.CaseDeadline);

        var acknowledged = await hall.Hall.AcknowledgeAlertAsync($"case-{caseId}", "值班长");

        Assert.Equal("值班长", acknowledged.AcknowledgedBy);
        await Assert.ThrowsAsync<ConflictException>(() => hall.Hall.AcknowledgeAlertAsync($"case-{caseId}", "值班长"));
    }

    [Fact]
    public async Task FollowUp_OpenedByABadRating_DueInFiveWorkingDays_ClosedOnceWithANote()
    {
        await using var hall = await HallFixture.StartAsync(CaseTests.HallsWithCases());
        var ticket = (await CaseTests.AcceptCaseAsync(hall)).TicketId;

        await hall.Ticket(ticket).RateAsync(1, "等太久", "visitor");
        var listed = Assert.Single(await hall.Hall.GetFollowUpsAsync(includeClosed: false));
        hall.Clock.Advance(TimeSpan.FromHours(2));
        var closed = await hall.Grains.GetFollowUp(HallFixture.HallId, ticket).CloseAsync("已电话回访并致歉", "值班长");

        Assert.Equal((ticket, 1, "等太久", FollowUpState.Open), (listed.FollowUpId, listed.Score, listed.Comment, listed.State));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, Shanghai), listed.Due);
        Assert.Equal((FollowUpState.Closed, "值班长", "已电话回访并致歉", false), (closed.State, closed.ClosedBy, closed.Note, closed.Overdue));
        Assert.Empty(await hall.Hall.GetFollowUpsAsync(includeClosed: false));
        Assert.Equal(closed, Assert.Single(await hall.Hall.GetFollowUpsAsync(includeClosed: true)));
        await Assert.ThrowsAsync<ConflictException>(() => hall.Grains.GetFollowUp(HallFixture.HallId, ticket).CloseAsync("again", "值班长"));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public async Task Rating_OfThreeOrMore_OpensNoFollowUp(int score)
    {
        await using var hall = await HallFixture.StartAsync(CaseTests.HallsWithCases());
        var ticket = (await CaseTests.AcceptCaseAsync(hall)).TicketId;

        await hall.Ticket(ticket).RateAsync(score, null, "visitor");

        Assert.Empty(await hall.Hall.GetFollowUpsAsync(includeClosed: true));
        await Assert.ThrowsAsync<NotFoundException>(() => hall.Grains.GetFollowUp(HallFixture.HallId, ticket).GetAsync());
    }

    [Fact]
    public async Task FollowUpOverdue_ComesOnTimeAfterCollection_AndClosingResolvesIt()
    {
        await using var hall = await HallFixture.StartAsync(CaseTests.HallsWithCases(), wakePeriod: WakePeriod);
        var ticket = (await CaseTests.AcceptCaseAsync(hall)).TicketId;
        await hall.Ticket(ticket).RateAsync(2, null, "visitor");

        await hall.CollectIdleActivationsAsync();
        hall.Clock.AdvanceTo(new DateTimeOffset(2026, 12, 1, 0, 1, 0, Shanghai));
        var overdue = await RaisedAsync(hall, AlertKind.FollowUpOverdue);
        var closed = await hall.Grains.GetFollowUp(HallFixture.HallId, ticket).CloseAsync("已整改", "值班长");

        Assert.Equal((AlertLevel.Overtime, $"followup-{ticket}"), (overdue.Level, overdue.AlertId));
        Assert.True(closed.Overdue);
        // The accepted case's own cards come due on the same clock and may be journaled after the close.
        var resolved = (await hall.ReadJournalAsync()).Select(r => r.Event).OfType<AlertResolved>().Single(e => e.Alert.AlertId == $"followup-{ticket}");
        Assert.Equal("closed", resolved.Alert.Resolution);
    }

    private static async Task<AlertView> RaisedAsync(HallFixture hall, AlertKind kind)
    {
        var journal = await Eventually.Async(hall.ReadJournalAsync, records => records.Any(r => r.Event is AlertRaised { Alert.Kind: var k } && k == kind));
        return journal.Select(r => r.Event).OfType<AlertRaised>().Single(e => e.Alert.Kind == kind).Alert;
    }
}
