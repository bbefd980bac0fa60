namespace HallMonitor.Grains.Tests;

/// <summary>
/// Cases (办件): opened by completing a service of a matter with a promised time limit, stepped in order, their
/// deadlines counted in working days and moved by the time spent awaiting materials.
/// </summary>
public sealed class CaseTests
{
    /// <summary>Monday 23 November 2026 plus 3 working days (Mon–Fri): the end of Thursday 26 November.</summary>
    private static readonly DateTimeOffset PromisedDue = new(2026, 11, 27, 0, 0, 0, TimeSpan.FromHours(8));

    /// <summary>Plus 5 working days: the end of Monday 30 November.</summary>
    private static readonly DateTimeOffset StatutoryDue = new(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(8));

    /// <summary>The test hall with 不动产转移登记 (RE-TRANS, window 04) promised in 3 working days, statutory 5.</summary>
    public static HallsFile HallsWithCases(string? calendar = null)
    {
        var halls = HallFixture.TestHalls();
        var hall = halls.Halls[0];
        return halls with
        {
            Halls =
            [
                hall with
                {
                    Calendar = calendar,
                    Matters = [.. hall.Matters.Select(m => m.Code == "RE-TRANS" ? m with { PromisedDays = 3, StatutoryDays = 5 } : m)],
                },
            ],
        };
    }

    /// <summary>Serves a RE-TRANS ticket at window 04 for five minutes and completes it; the complete answer.</summary>
    public static async Task<TicketView> AcceptCaseAsync(HallFixture hall)
    {
        await hall.IssueAsync("RE-TRANS");
        await hall.OpenAsync("04", "李娜");
        await hall.Window("04").CallNextAsync();
        await hall.Window("04").StartAsync();
        hall.Clock.Advance(TimeSpan.FromMinutes(5));
        return await hall.Window("04").CompleteAsync();
    }

    [Fact]
    public async Task Complete_OfAMatterWithPromisedDays_OpensACaseInTheSameCommit()
    {
        await using var hall = await HallFixture.StartAsync(HallsWithCases());

        var completed = await AcceptCaseAsync(hall);
        var journal = await hall.ReadJournalAsync();

        Assert.Equal(completed.TicketId, completed.CaseId);
        Assert.Matches("^[0-9]{6}$", completed.LookupCode);
        var opened = Assert.IsType<CaseOpened>(journal[^1].Event);
        Assert.IsType<ServiceCompleted>(journal[^2].Event);
        Assert.Equal(journal[^2].At, journal[^1].At);
        Assert.Equal(("04", "李娜", completed.LookupCode), (opened.Window, opened.Clerk, opened.LookupCode));
        Assert.Equal(completed.CaseId, (await hall.Ticket(completed.TicketId).GetAsync()).CaseId);
    }

    [Fact]
    public async Task Complete_OfAMatterWithoutPromisedDays_OpensNoCase()
    {
        await using var hall = await HallFixture.StartAsync(HallsWithCases());
        await hall.IssueAsync("TAX-INV");
        await hall.OpenAsync("04");
        await hall.Window("04").CallNextAsync();
        await hall.Window("04").StartAsync();

        var completed = await hall.Window("04").CompleteAsync();

        Assert.Null(completed.CaseId);
        Assert.DoesNotContain(await hall.ReadJournalAsync(), r => r.Event is CaseOpened);
    }

    [Fact]
    public async Task NewCase_HasItsDeadlinesInWorkingDays_AndTheAcceptanceAsFirstStep()
    {
        await using var hall = await HallFixture.StartAsync(HallsWithCases());
        var completed = await AcceptCaseAsync(hall);

        var view = await hall.Grains.GetCase(HallFixture.HallId, completed.CaseId!).GetAsync();

        Assert.Equal(PromisedDue, view.PromisedDue);
        Assert.Equal(StatutoryDue, view.StatutoryDue);
        Assert.Equal(CaseState.Accepted, view.State);
        Assert.Equal(CaseLevel.Ok, view.Level);
        Assert.Equal(completed.LookupCode, view.LookupCode);
        var step = Assert.Single(view.Steps!);
        Assert.Equal((CaseStep.Accepted, "李娜"), (step.Step, step.By));
    }

    [Fact]
    public async Task Steps_InOrder_RecordWhoWhenAndTheNote()
    {
        await using var hall = await HallFixture.StartAsync(HallsWithCases());
        var caseId = (await AcceptCaseAsync(hall)).CaseId!;
        var grain = hall.Grains.GetCase(HallFixture.HallId, caseId);

        await grain.StepAsync(CaseStep.Review, "张伟", null);
        hall.Clock.Advance(TimeSpan.FromHours(1));
        await grain.StepAsync(CaseStep.AwaitMaterials, "张伟", "缺少身份证复印件");
        await grain.StepAsync(CaseStep.Resume, "张伟", null);
        await grain.StepAsync(CaseStep.Decide, "赵敏", "准予登记");
        var delivered = await grain.StepAsync(CaseStep.Deliver, "赵敏", null);

        Assert.Equal(CaseState.Delivered, delivered.State);
        Assert.Equal(
            [CaseStep.Accepted, CaseStep.Review, CaseStep.AwaitMaterials, CaseStep.Resume, CaseStep.Decide, CaseStep.Deliver],
            delivered.Steps!.Select(s => s.Step));
        Assert.Equal("缺少身份证复印件", delivered.Steps![2].Note);
        Assert.Equal("赵敏", delivered.Steps![4].By);
        Assert.Equal(HallFixture.Morning.AddMinutes(65), delivered.Steps![2].At);
        Assert.True(delivered.OnTime);
        Assert.Equal(5, (await hall.ReadJournalAsync()).Count(r => r.Event is CaseStepped));
    }

    [Theory]
    [InlineData(CaseStep.Decide)]
    [InlineData(CaseStep.Resume)]
    [InlineData(CaseStep.Deliver)]
    public async Task Step_OutOfOrder_IsAConflictAndChangesNothing(CaseStep step)
    {
        await using var hall = await HallFixture.StartAsync(HallsWithCases());
        var caseId = (await AcceptCaseAsync(hall)).CaseId!;
        var grain = hall.Grains.GetCase(HallFixture.HallId, caseId);
        var before = await hall.ReadJournalAsync();

        await Assert.ThrowsAsync<ConflictException>(() => grain.StepAsync(step, "张伟", null));

        Assert.Equal(before.Count, (await hall.ReadJournalAsync()).Count);
        Assert.Equal(CaseState.Accepted, (await grain.GetAsync()).State);
    }

    [Fact]
    public async Task Step_AfterDelivery_IsAConflict()
    {
        await using var hall = await HallFixture.StartAsync(HallsWithCases());
        var grain = hall.Grains.GetCase(HallFixture.HallId, (await AcceptCaseAsync(hall)).CaseId!);
        foreach (var step in new[] { CaseStep.Review, CaseStep.Decide, CaseStep.Deliver })
        {
            await grain.StepAsync(step, "张伟", null);
        }

        await Assert.ThrowsAsync<ConflictException>(() => grain.StepAsync(CaseStep.Review, "张伟", null));
    }

    /// <summary>
    /// A calendar with Wednesday 25 and Thursday 26 November 2026 off and Saturday 28 a make-up working day. Accepted
    /// Monday 23: the 3 working days are Tuesday 24, Friday 27 and Saturday 28.
    /// </summary>
    private const string Calendar = """
        {
          "name": "test-cal",
          "source": "a calendar of the tests",
          "years": {
            "2026": { "holidays": ["2026-11-25", "2026-11-26"], "workdays": ["2026-11-28"] }
          }
        }
        """;

    [Fact]
    public async Task AwaitingMaterials_AcrossHolidays_MovesTheDeadlinesByTheWorkingDaysItLasted()
    {
        await using var hall = await HallFixture.StartAsync(HallsWithCases("test-cal"), calendars: new Dictionary<string, string> { ["test-cal"] = Calendar });
        var grain = hall.Grains.GetCase(HallFixture.HallId, (await AcceptCaseAsync(hall)).CaseId!);
        var opened = await grain.GetAsync();
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.FromHours(8)), opened.PromisedDue);

        // Paused on Tuesday 24, resumed on Monday 30: Friday 27, Saturday 28 (make-up) and Monday 30 are lost.
        hall.Clock.AdvanceTo(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.FromHours(8)));
        await grain.StepAsync(CaseStep.AwaitMaterials, "张伟", null);
        hall.Clock.AdvanceTo(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.FromHours(8)));
        var resumed = await grain.StepAsync(CaseStep.Resume, "张伟", null);

        // 6 working days after Monday 23: Tue 24, Fri 27, Sat 28, Mon 30, Tue 1, Wed 2 December; statutory 8: Thu 3, Fri 4.
        Assert.Equal(3, resumed.PausedDays);
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.FromHours(8)), resumed.PromisedDue);
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.FromHours(8)), resumed.StatutoryDue);
        Assert.Equal(CaseLevel.Ok, resumed.Level);
        Assert.DoesNotContain(await hall.Hall.GetAlertsAsync(includeResolved: false), a => a.Kind == AlertKind.CaseDeadline);
    }

    [Fact]
    public async Task Complete_WhenADeadlineFallsInAYearTheCalendarLacks_StillCompletes_WithoutACase_AndSaysWhichYear()
    {
        // Monday 28 December 2026: the statutory 5 working days end in 2027, which the calendar does not cover.
        var lateDecember = new DateTimeOffset(2026, 12, 28, 1, 0, 0, TimeSpan.Zero);
        await using var hall = await HallFixture.StartAsync(HallsWithCases("test-cal"), lateDecember, calendars: new Dictionary<string, string> { ["test-cal"] = Calendar });

        var completed = await AcceptCaseAsync(hall);
        await hall.Ticket(completed.TicketId).RateAsync(1, null, "visitor");

        Assert.Equal(TicketState.Completed, completed.State);
        Assert.Null(completed.CaseId);
        Assert.Equal(1, (await hall.Ticket(completed.TicketId).GetAsync()).Rating!.Score);
        Assert.DoesNotContain(await hall.ReadJournalAsync(), r => r.Event is CaseOpened or FollowUpOpened);
        Assert.True(hall.Logs.Contains("completed without opening its case") && hall.Logs.Contains("2027"), string.Join(Environment.NewLine, hall.Logs.Messages));
        Assert.True(hall.Logs.Contains("rated without opening its follow-up"), string.Join(Environment.NewLine, hall.Logs.Messages));
    }

    [Fact]
    public async Task AwaitingMaterials_StopsTheClock_NoCardWhilePaused()
    {
        await using var hall = await HallFixture.StartAsync(HallsWithCases(), wakePeriod: TimeSpan.FromSeconds(1));
        var grain = hall.Grains.GetCase(HallFixture.HallId, (await AcceptCaseAsync(hall)).CaseId!);
        await grain.StepAsync(CaseStep.AwaitMaterials, "张伟", null);

        hall.Clock.AdvanceTo(PromisedDue.AddHours(1));
        var paused = await grain.GetAsync();
        await hall.Hall.GetSnapshotAsync();

        Assert.Equal(CaseLevel.Ok, paused.Level);
        Assert.DoesNotContain(await hall.ReadJournalAsync(), r => r.Event is AlertRaised);
    }

    [Fact]
    public async Task Progress_WithTheLookupCode_ShowsNoNamesOrNotes()
    {
        await using var hall = await HallFixture.StartAsync(HallsWithCases());
        var completed = await AcceptCaseAsync(hall);
        var grain = hall.Grains.GetCase(HallFixture.HallId, completed.CaseId!);
        await grain.StepAsync(CaseStep.Review, "张伟", "内部意见");

        var progress = await grain.GetProgressAsync(completed.LookupCode!);
        var text = System.Text.Json.JsonSerializer.Serialize(progress, HallMonitorJson.Options);

        Assert.Equal([CaseStep.Accepted, CaseStep.Review], progress.Steps.Select(s => s.Step));
        Assert.Equal(PromisedDue, progress.PromisedDue);
        Assert.DoesNotContain("张伟", text, StringComparison.Ordinal);
        Assert.DoesNotContain("李娜", text, StringComparison.Ordinal);
        Assert.DoesNotContain("内部意见", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_WithAWrongCode_IsNotFoundLikeAnUnknownCase()
    {
        await using var hall = await HallFixture.StartAsync(HallsWithCases());
        var completed = await AcceptCaseAsync(hall);
        var wrong = completed.LookupCode == "000000" ? "000001" : "000000";

        var wrongCode = await Assert.ThrowsAsync<NotFoundException>(() => hall.Grains.GetCase(HallFixture.HallId, completed.CaseId!).GetProgressAsync(wrong));
        var unknown = await Assert.ThrowsAsync<NotFoundException>(() => hall.Grains.GetCase(HallFixture.HallId, "20261123-C999").GetProgressAsync(wrong));

        Assert.Equal(unknown.Message.Replace("20261123-C999", completed.CaseId, StringComparison.Ordinal), wrongCode.Message);
    }

    [Fact]
    public async Task Case_SurvivesARestart_AndARebuildFromTheJournalAlone()
    {
        await using var hall = await HallFixture.StartAsync(HallsWithCases());
        var caseId = (await AcceptCaseAsync(hall)).CaseId!;
        await hall.Grains.GetCase(HallFixture.HallId, caseId).StepAsync(CaseStep.Review, "张伟", "ok");

        await using var restarted = await hall.RestartAsync();
        var afterRestart = await restarted.Grains.GetCase(HallFixture.HallId, caseId).GetAsync();
        var listedAfterRestart = await restarted.Hall.GetCasesAsync(CaseFilter.Open, null);
        await using var rebuilt = await restarted.CrashLosingDerivedStateAsync();
        var afterRebuild = await rebuilt.Grains.GetCase(HallFixture.HallId, caseId).GetAsync();

        Assert.Equal(CaseState.InReview, afterRestart.State);
        Assert.Equal(CaseState.InReview, Assert.Single(listedAfterRestart).State);
        Assert.Equal(afterRestart, afterRebuild with { Steps = afterRestart.Steps });
        Assert.Equal(afterRestart.Steps, afterRebuild.Steps);
        Assert.Single(await rebuilt.Hall.GetCasesAsync(CaseFilter.Open, null));
    }

    [Fact]
    public async Task CaseList_FiltersOpenOverdueAndAll_NearestDeadlineFirst()
    {
        await using var hall = await HallFixture.StartAsync(HallsWithCases());
        var first = (await AcceptCaseAsync(hall)).CaseId!;
        hall.Clock.AdvanceTo(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.FromHours(8)));
        await hall.IssueAsync("RE-TRANS");
        await hall.Window("04").CallNextAsync();
        await hall.Window("04").StartAsync();
        var second = (await hall.Window("04").CompleteAsync()).CaseId!;
        var grain = hall.Grains.GetCase(HallFixture.HallId, second);
        await grain.StepAsync(CaseStep.Review, "张伟", null);
        await grain.StepAsync(CaseStep.Decide, "张伟", null);

        hall.Clock.AdvanceTo(PromisedDue.AddMinutes(1));
        var open = await hall.Hall.GetCasesAsync(CaseFilter.Open, null);
        var overdue = await hall.Hall.GetCasesAsync(CaseFilter.Overdue, "RE-TRANS");
        var all = await hall.Hall.GetCasesAsync(CaseFilter.All, null);

        Assert.Equal([first], open.Select(c => c.CaseId));
        Assert.Equal(CaseLevel.Red, Assert.Single(overdue).Level);
        Assert.Equal([first, second], all.Select(c => c.CaseId));
        Assert.All(all, c => Assert.Null(c.LookupCode));
    }
}
