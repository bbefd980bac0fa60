namespace HallMonitor.Grains.Tests;

public sealed class NumberingTests
{
    [Fact]
    public async Task Issue_NumbersFromOneWithTheServiceDayInTheId()
    {
        await using var hall = await HallFixture.StartAsync();

        var first = await hall.IssueAsync("TAX-INV");
        var second = await hall.IssueAsync("TAX-INV");

        Assert.Equal("B001", first.Number);
        Assert.Equal("20261123-B001", first.TicketId);
        Assert.Equal("B002", second.Number);
        Assert.Equal("20261123-B002", second.TicketId);
    }

    [Fact]
    public async Task Issue_MattersSharingAPrefix_ShareOneSequence()
    {
        await using var hall = await HallFixture.StartAsync();

        var registration = await hall.IssueAsync("BIZ-REG");
        var change = await hall.IssueAsync("BIZ-CHG");
        var registrationAgain = await hall.IssueAsync("BIZ-REG");

        Assert.Equal(["A001", "A002", "A003"], [registration.Number, change.Number, registrationAgain.Number]);
    }

    [Fact]
    public async Task Issue_DifferentPrefixes_CountIndependently()
    {
        await using var hall = await HallFixture.StartAsync();

        var numbers = new List<string>();
        foreach (var matter in new[] { "BIZ-REG", "TAX-INV", "RE-TRANS", "TAX-INV", "BIZ-CHG", "TAX-INV" })
        {
            numbers.Add((await hall.IssueAsync(matter)).Number);
        }

        Assert.Equal(["A001", "B001", "C001", "B002", "A002", "B003"], numbers);
    }

    [Fact]
    public async Task Issue_ConcurrentlyAcrossMatters_IsUniqueAndGaplessPerPrefix()
    {
        await using var hall = await HallFixture.StartAsync();
        var matters = Enumerable.Repeat("BIZ-REG", 200).Concat(Enumerable.Repeat("BIZ-CHG", 200)).Concat(Enumerable.Repeat("TAX-INV", 100));

        var tickets = await Task.WhenAll(matters.Select(matter => Task.Run(() => hall.IssueAsync(matter))));

        Assert.Equal(Numbers("A", 400), tickets.Where(t => t.Number[0] == 'A').Select(t => t.Number).Order(StringComparer.Ordinal));
        Assert.Equal(Numbers("B", 100), tickets.Where(t => t.Number[0] == 'B').Select(t => t.Number).Order(StringComparer.Ordinal));
        Assert.Equal(500, tickets.Select(t => t.TicketId).Distinct().Count());
    }

    [Fact]
    public async Task Issue_Concurrently_JournalsTheNumbersOfEachPrefixInIncreasingOrder()
    {
        await using var hall = await HallFixture.StartAsync();
        var matters = Enumerable.Range(0, 300).Select(i => HallFixture.MatterCodes[i % HallFixture.MatterCodes.Count]);

        await Task.WhenAll(matters.Select(matter => Task.Run(() => hall.IssueAsync(matter))));
        var issued = (await hall.ReadJournalAsync()).Select(r => r.Event).OfType<TicketIssued>().ToList();

        foreach (var prefix in new[] { "A", "B", "C" })
        {
            var inJournalOrder = issued.Where(e => e.Number.StartsWith(prefix, StringComparison.Ordinal)).Select(e => e.Number).ToList();
            Assert.Equal(Numbers(prefix, inJournalOrder.Count), inJournalOrder);
        }
    }

    [Fact]
    public async Task Issue_PastNineHundredAndNinetyNine_KeepsCounting()
    {
        await using var hall = await HallFixture.StartAsync();
        await Task.WhenAll(Enumerable.Range(0, 999).Select(_ => Task.Run(() => hall.IssueAsync("TAX-INV"))));

        var thousandth = await hall.IssueAsync("TAX-INV");
        var found = await hall.Ticket(thousandth.TicketId).GetAsync();

        Assert.Equal("20261123-B1000", thousandth.TicketId);
        Assert.Equal("B1000", found.Number);
    }

    [Fact]
    public async Task Issue_AtLocalMidnight_StartsTheNextDayAtOne()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.IssueAsync("BIZ-REG");
        hall.Clock.AdvanceTo(hall.NextMidnight().AddSeconds(-1));
        var lastOfTheDay = await hall.IssueAsync("BIZ-CHG");

        await hall.StartNextServiceDayAsync(expectedExpiries: 2);
        var firstOfTheNextDay = await hall.IssueAsync("BIZ-REG");
        var firstTaxOfTheNextDay = await hall.IssueAsync("TAX-INV");

        Assert.Equal("20261123-A002", lastOfTheDay.TicketId);
        Assert.Equal("20261124-A001", firstOfTheNextDay.TicketId);
        Assert.Equal("20261124-B001", firstTaxOfTheNextDay.TicketId);
    }

    [Fact]
    public async Task Issue_AcrossUtcMidnight_KeepsTheLocalDaysSequence()
    {
        // 07:30 in Shanghai is 23:30 UTC of the day before: the UTC date changes during the local morning.
        await using var hall = await HallFixture.StartAsync(now: new DateTimeOffset(2026, 11, 22, 23, 30, 0, TimeSpan.Zero));
        var beforeUtcMidnight = await hall.IssueAsync("BIZ-REG");

        hall.Clock.Advance(TimeSpan.FromHours(1));
        var afterUtcMidnight = await hall.IssueAsync("BIZ-REG");

        Assert.Equal("20261123-A001", beforeUtcMidnight.TicketId);
        Assert.Equal("20261123-A002", afterUtcMidnight.TicketId);
    }

    [Fact]
    public async Task Issue_AfterRestart_FollowsTheLastNumber()
    {
        await using var before = await HallFixture.StartAsync();
        await before.IssueAsync("BIZ-REG");
        await before.IssueAsync("BIZ-CHG");
        await before.IssueAsync("TAX-INV");

        await using var after = await before.RestartAsync();
        var nextA = await after.IssueAsync("BIZ-REG");
        var nextB = await after.IssueAsync("TAX-INV");
        var firstC = await after.IssueAsync("RE-TRANS");

        Assert.Equal(["A003", "B002", "C001"], [nextA.Number, nextB.Number, firstC.Number]);
    }

    [Fact]
    public async Task Issue_AfterCrashBeforeAnyCheckpoint_FollowsTheLastNumber()
    {
        await using var before = await HallFixture.StartAsync();
        await before.IssueAsync("BIZ-CHG");
        await before.IssueAsync("TAX-INV");
        await before.IssueAsync("BIZ-REG");

        await using var after = await before.CrashAsync();
        var nextA = await after.IssueAsync("BIZ-CHG");
        var nextB = await after.IssueAsync("TAX-INV");

        Assert.Null(await after.ReadCheckpointAsync<HallProjection>("hall", "hall", HallFixture.HallId));
        Assert.Equal(["A003", "B002"], [nextA.Number, nextB.Number]);
    }

    [Fact]
    public async Task Issue_AfterCrash_FollowsTheLastDurableNumberNotTheCheckpoint()
    {
        await using var before = await HallFixture.StartAsync();
        await before.IssueAsync("BIZ-REG");
        await before.IssueAsync("BIZ-CHG");
        await before.CheckpointHallAsync();
        await before.IssueAsync("BIZ-REG");
        await before.IssueAsync("BIZ-CHG");
        var checkpoint = await before.ReadCheckpointAsync<HallProjection>("hall", "hall", HallFixture.HallId);

        await using var after = await before.CrashAsync();
        var next = await after.IssueAsync("BIZ-REG");

        Assert.Equal(2, checkpoint!.Numbering["A"]);
        Assert.Equal("A005", next.Number);
    }

    [Fact]
    public async Task Issue_AfterAFailedWrite_GivesTheUnwrittenNumberToTheNextVisitor()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.IssueAsync("BIZ-REG");

        hall.Journal.FailNextAppends(1);
        await Assert.ThrowsAsync<JournalUnavailableException>(() => hall.IssueAsync("BIZ-REG"));
        var next = await hall.IssueAsync("BIZ-CHG");

        Assert.Equal("A002", next.Number);
    }

    [Fact]
    public async Task Issue_WhenAWriteFailsAmidConcurrentIssues_KeepsTheWrittenNumbersGapless()
    {
        await using var hall = await HallFixture.StartAsync();

        var firstWave = Enumerable.Range(0, 100).Select(i => Task.Run(() => hall.IssueAsync(i % 2 == 0 ? "BIZ-REG" : "BIZ-CHG"))).ToList();
        hall.Journal.FailNextAppends(1);
        var secondWave = Enumerable.Range(0, 100).Select(i => Task.Run(() => hall.IssueAsync(i % 2 == 0 ? "BIZ-REG" : "BIZ-CHG"))).ToList();
        var outcomes = await Task.WhenAll(firstWave.Concat(secondWave).Select(Outcome));
        var journaled = (await hall.ReadJournalAsync()).Select(r => r.Event).OfType<TicketIssued>().Select(e => e.Number).ToList();

        Assert.Single(outcomes, o => o.Failure is JournalUnavailableException);
        Assert.Equal(Numbers("A", 199), outcomes.Where(o => o.Ticket is not null).Select(o => o.Ticket!.Number).Order(StringComparer.Ordinal));
        Assert.Equal(Numbers("A", 199), journaled);
    }

    [Fact]
    public async Task Issue_StartingWhileAnEarlierIssuesWriteIsFailing_NeverLeavesAGap()
    {
        HeldJournalStore? store = null;
        await using var hall = await HallFixture.StartAsync(journalStore: memory => store = new HeldJournalStore(memory));
        await hall.IssueAsync("BIZ-REG");
        var holding = store!.HoldNextAppendAsync();
        var lost = Outcome(hall.IssueAsync("BIZ-REG"));
        await holding;

        store.FailHeldAppend();
        var overlapping = await Outcome(hall.IssueAsync("BIZ-CHG"));
        store.ReportHeldFailure();
        var next = await hall.IssueAsync("BIZ-CHG");
        var journaled = (await hall.ReadJournalAsync()).Select(r => r.Event).OfType<TicketIssued>().Select(e => e.Number).ToList();

        Assert.IsType<JournalUnavailableException>((await lost).Failure);
        Assert.Equal(Numbers("A", journaled.Count), journaled);
        Assert.Equal(journaled[^1], next.Number);
        Assert.True(overlapping.Failure is JournalUnavailableException || journaled.Contains(overlapping.Ticket!.Number));
    }

    private static IEnumerable<string> Numbers(string prefix, int count) =>
        Enumerable.Range(1, count).Select(n => $"{prefix}{n:000}");

    private static async Task<(TicketView? Ticket, Exception? Failure)> Outcome(Task<TicketView> issue)
    {
        try
        {
            return (await issue, null);
        }
        catch (HallMonitorException exception)
        {
            return (null, exception);
        }
    }
}
