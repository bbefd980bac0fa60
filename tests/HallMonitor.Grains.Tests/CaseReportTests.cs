namespace HallMonitor.Grains.Tests;

/// <summary>The case report: on-time completion per matter and window, open cases by level, the overdue list, follow-ups.</summary>
public sealed class CaseReportTests
{
    private static readonly DateOnly Monday = new(2026, 11, 23);

    [Fact]
    public async Task CaseReport_CountsOnTimeDecisions_OpenCasesByLevel_TheOverdueOnes_AndFollowUps()
    {
        await using var hall = await HallFixture.StartAsync(CaseTests.HallsWithCases());
        var first = await CaseTests.AcceptCaseAsync(hall);
        await hall.IssueAsync("RE-TRANS");
        await hall.Window("04").CallNextAsync();
        await hall.Window("04").StartAsync();
        var second = await hall.Window("04").CompleteAsync();
        var decided = hall.Grains.GetCase(HallFixture.HallId, first.CaseId!);
        await decided.StepAsync(CaseStep.Review, "张伟", null);
        await decided.StepAsync(CaseStep.Decide, "张伟", null);
        await hall.Ticket(second.TicketId).RateAsync(2, "太慢", "visitor");

        // Past the promised deadline (the end of Thursday 26) and the follow-up's and statutory ones (the end of Monday 30).
        hall.Clock.AdvanceTo(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(8)));
        var report = await hall.Grains.GetGrain<IReportGrain>(HallFixture.HallId).GetCasesAsync(Monday, Monday);

        var matter = Assert.Single(report.ByMatter);
        Assert.Equal(("RE-TRANS", "不动产转移登记"), (matter.Key, matter.Label));
        Assert.Equal((2, 1, 1, 1.0, 1, 1), (matter.Accepted, matter.Decided, matter.DecidedOnTime, matter.OnTimeRate, matter.Open, matter.OpenOverdue));
        Assert.Equal((1, 0, 1), (matter.FollowUpsOpened, matter.FollowUpsClosedOnTime, matter.FollowUpsOverdue));
        Assert.Equal("04", Assert.Single(report.ByWindow).Key);
        Assert.Equal(
            [new CaseLevelCount(CaseLevel.Ok, 0), new CaseLevelCount(CaseLevel.Yellow, 0), new CaseLevelCount(CaseLevel.Red, 0), new CaseLevelCount(CaseLevel.StatutoryRed, 1)],
            report.OpenByLevel);
        var overdue = Assert.Single(report.Overdue);
        Assert.Equal((second.CaseId, CaseState.Accepted, CaseLevel.StatutoryRed), (overdue.CaseId, overdue.State, overdue.Level));
    }

    [Fact]
    public async Task CaseReport_IsRebuiltFromTheJournalAlone()
    {
        await using var hall = await HallFixture.StartAsync(CaseTests.HallsWithCases());
        var accepted = await CaseTests.AcceptCaseAsync(hall);
        var grain = hall.Grains.GetCase(HallFixture.HallId, accepted.CaseId!);
        await grain.StepAsync(CaseStep.AwaitMaterials, "张伟", null);
        var expected = await hall.Grains.GetGrain<IReportGrain>(HallFixture.HallId).GetCasesAsync(Monday, Monday);

        await using var rebuilt = await hall.CrashLosingDerivedStateAsync();
        var report = await rebuilt.Grains.GetGrain<IReportGrain>(HallFixture.HallId).GetCasesAsync(Monday, Monday);

        Assert.Equal(expected.ByMatter, report.ByMatter);
        Assert.Equal(expected.OpenByLevel, report.OpenByLevel);
        Assert.Equal(1, report.ByMatter.Single().Open);
    }
}
