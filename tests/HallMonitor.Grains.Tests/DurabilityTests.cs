using System.Collections.Concurrent;

namespace HallMonitor.Grains.Tests;

/// <summary>A new silo over the same stores rebuilds exactly what the old one had acknowledged.</summary>
public sealed class DurabilityTests
{
    [Fact]
    public async Task Crash_BeforeAnyCheckpoint_RebuildsTicketsWindowsQueuesAndSeqFromTheJournal()
    {
        await using var before = await HallFixture.StartAsync();
        await DriveAVariedHallAsync(before, step: TimeSpan.Zero);
        var picture = await HallPicture.TakeAsync(before);

        await using var after = await before.CrashAsync();

        Assert.Null(await after.ReadCheckpointAsync<HallProjection>("hall", "hall", HallFixture.HallId));
        Assert.Null(await after.ReadCheckpointAsync<WindowRecord>("window", "window", GrainKeys.For(HallFixture.HallId, "01")));
        Assert.Null(await after.ReadCheckpointAsync<MatterQueue>("matter", "matter", GrainKeys.For(HallFixture.HallId, "BIZ-REG")));
        (await HallPicture.TakeAsync(after)).AssertSameAs(picture);
    }

    [Fact]
    public async Task BusyHall_CheckpointsEveryTenThousandEvents_WithoutWaitingForItsPeriod()
    {
        // What a new activation replays after a crash or on a surviving silo stays small however busy the hall.
        await using var hall = await HallFixture.StartAsync();
        var matters = new[] { "BIZ-REG", "TAX-INV", "RE-TRANS", "BIZ-CHG" };
        for (var batch = 0; batch < 21; batch++)
        {
            await Task.WhenAll(Enumerable.Range(0, 500).Select(i => hall.IssueAsync(matters[i % matters.Length])));
        }

        await hall.Hall.SettleJournalAsync();
        await hall.Hall.GetSnapshotAsync();

        var checkpoint = await hall.ReadCheckpointAsync<HallProjection>("hall", "hall", HallFixture.HallId);
        Assert.NotNull(checkpoint);
        Assert.True(checkpoint.AppliedSeq >= JournaledGrain<HallProjection>.CheckpointEvents, $"The checkpoint is at event {checkpoint.AppliedSeq}.");
    }

    [Fact]
    public async Task Crash_WithSomeCheckpointsWritten_RebuildsTicketsWindowsQueuesAndSeq()
    {
        await using var before = await HallFixture.StartAsync();
        await DriveAVariedHallAsync(before, step: TimeSpan.FromMinutes(1));
        var picture = await HallPicture.TakeAsync(before);

        await using var after = await before.CrashAsync();

        (await HallPicture.TakeAsync(after)).AssertSameAs(picture);
    }

    [Fact]
    public async Task Restart_RebuildsTicketsWindowsQueuesAndSeq()
    {
        await using var before = await HallFixture.StartAsync();
        await DriveAVariedHallAsync(before, step: TimeSpan.FromMinutes(1));
        var picture = await HallPicture.TakeAsync(before);

        await using var after = await before.RestartAsync();

        (await HallPicture.TakeAsync(after)).AssertSameAs(picture);
    }

    [Fact]
    public async Task Restart_WritesCheckpointsThatTheNewSiloStartsFrom()
    {
        await using var before = await HallFixture.StartAsync();
        await DriveAVariedHallAsync(before, step: TimeSpan.FromMinutes(1));
        var journalLength = (await before.ReadJournalAsync()).Count;

        await using var after = await before.RestartAsync();
        var hall = await after.ReadCheckpointAsync<HallProjection>("hall", "hall", HallFixture.HallId);
        var window = await after.ReadCheckpointAsync<WindowRecord>("window", "window", GrainKeys.For(HallFixture.HallId, "01"));

        Assert.Equal(journalLength, hall!.AppliedSeq);
        Assert.Equal(WindowState.Serving, window!.State);
    }

    [Fact]
    public async Task Crash_AfterACheckpoint_ReplaysTheEventsWrittenSince()
    {
        await using var before = await HallFixture.StartAsync();
        await before.OpenAsync("01");
        await before.IssueAsync("BIZ-REG");
        await before.IssueAsync("TAX-INV");
        await before.CheckpointHallAsync();
        await before.ServeNextAsync("01", TimeSpan.FromMinutes(4));
        await before.IssueAsync("BIZ-CHG", priority: true);
        await before.Window("01").CallNextAsync();
        await before.Window("01").RecallAsync();
        var checkpoint = await before.ReadCheckpointAsync<HallProjection>("hall", "hall", HallFixture.HallId);
        var picture = await HallPicture.TakeAsync(before);

        await using var after = await before.CrashAsync();

        Assert.True(checkpoint!.AppliedSeq < picture.JournalLength, "the checkpoint should be behind the journal");
        (await HallPicture.TakeAsync(after)).AssertSameAs(picture);
    }

    [Fact]
    public async Task Crash_KeepsTheQueueOrderForTheNextCalls()
    {
        await using var before = await HallFixture.StartAsync();
        var first = await before.IssueAsync("BIZ-REG");
        before.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await before.IssueAsync("TAX-INV");
        before.Clock.Advance(TimeSpan.FromMinutes(1));
        var priority = await before.IssueAsync("RE-TRANS", priority: true);
        before.Clock.Advance(TimeSpan.FromMinutes(1));
        var third = await before.IssueAsync("BIZ-CHG");

        await using var after = await before.CrashAsync();
        await after.OpenAsync("01");
        var order = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            order.Add((await after.ServeNextAsync("01", TimeSpan.FromMinutes(2))).TicketId);
        }

        Assert.Equal([priority.TicketId, first.TicketId, second.TicketId, third.TicketId], order);
    }

    [Fact]
    public async Task Crash_LetsTheWindowsCarryOnWhereTheyWere()
    {
        await using var before = await HallFixture.StartAsync();
        await before.OpenAsync("01", "王芳");
        var issued = await before.IssueAsync("BIZ-REG");
        await before.Window("01").CallNextAsync();
        await before.Window("01").StartAsync();
        before.Clock.Advance(TimeSpan.FromMinutes(7));

        await using var after = await before.CrashAsync();
        var completed = await after.Window("01").CompleteAsync();
        var window = await after.Window("01").GetAsync();

        Assert.Equal(issued.TicketId, completed.TicketId);
        Assert.Equal(420, completed.HandleSeconds);
        Assert.Equal((WindowState.Idle, "王芳", 1), (window.State, window.Clerk, window.ServedToday));
    }

    [Fact]
    public async Task Crash_ContinuesTheJournalWithoutAGap()
    {
        await using var before = await HallFixture.StartAsync();
        await DriveAVariedHallAsync(before, step: TimeSpan.FromMinutes(1));
        var lastSeq = (await before.Hall.GetSnapshotAsync()).Seq;

        await using var after = await before.CrashAsync();
        await after.IssueAsync("TAX-INV");
        var journal = await after.ReadJournalAsync();
        var verification = await after.Hall.VerifyJournalAsync();

        Assert.Equal(lastSeq + 1, journal[^1].Seq);
        Assert.Equal(Enumerable.Range(1, journal.Count).Select(n => (long)n), journal.Select(r => r.Seq));
        Assert.True(verification.Ok, verification.Problem);
    }

    [Fact]
    public async Task Crash_InTheMiddleOfABusyRun_LosesNothingAcknowledged()
    {
        await using var before = await HallFixture.StartAsync();
        foreach (var window in HallFixture.WindowIds)
        {
            await before.OpenAsync(window);
        }

        var issued = new ConcurrentBag<string>();
        var completed = new ConcurrentBag<string>();
        for (var round = 0; round < 6; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
                issued.Add((await before.IssueAsync(HallFixture.MatterCodes[i % 4], priority: i % 9 == 0)).TicketId))));
            await Task.WhenAll(HallFixture.WindowIds.Select(window => Task.Run(async () =>
            {
                for (var served = 0; served < 5 && await before.Window(window).CallNextAsync() is { } ticket; served++)
                {
                    await before.Window(window).StartAsync();
                    completed.Add((await before.Window(window).CompleteAsync()).TicketId);
                }
            })));

            // Checkpoints fall due between rounds, so the crash finds some grains checkpointed and others not.
            before.Clock.Advance(TimeSpan.FromSeconds(20));
        }

        await Task.WhenAll(HallFixture.WindowIds.Take(2).Select(window => before.Window(window).CallNextAsync()));
        var picture = await HallPicture.TakeAsync(before);

        await using var after = await before.CrashAsync();
        var states = new Dictionary<string, TicketState>();
        foreach (var ticketId in issued)
        {
            states[ticketId] = (await after.Ticket(ticketId).GetAsync()).State;
        }

        Assert.Equal(240, states.Count);
        Assert.All(completed, ticketId => Assert.Equal(TicketState.Completed, states[ticketId]));
        Assert.Equal(240 - completed.Count - 2, states.Values.Count(s => s == TicketState.Waiting));
        (await HallPicture.TakeAsync(after)).AssertSameAs(picture);
    }

    [Fact]
    public async Task Crash_KeepsRatingsAndRecallCounts()
    {
        await using var before = await HallFixture.StartAsync();
        await before.OpenAsync("03");
        var rated = await before.IssueAsync("BIZ-REG");
        await before.IssueAsync("BIZ-REG");
        await before.ServeNextAsync("03", TimeSpan.FromMinutes(5));
        await before.Ticket(rated.TicketId).RateAsync(5, null, "visitor");
        await before.Window("03").CallNextAsync();
        await before.Window("03").RecallAsync();

        await using var after = await before.CrashAsync();
        var recalled = await after.Window("03").RecallAsync();

        await Assert.ThrowsAsync<ConflictException>(() => after.Ticket(rated.TicketId).RateAsync(1, null, "visitor"));
        Assert.Equal(2, recalled.Recalls);
    }

    [Fact]
    public async Task IdleGrains_AreCollectedAndComeBackWithTheirState()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01", "王芳");
        await hall.IssueAsync("BIZ-REG");
        var waiting = await hall.IssueAsync("TAX-INV");
        await hall.Window("01").CallNextAsync();
        var started = await hall.Window("01").StartAsync();
        var ticketEvents = (await hall.ReadJournalAsync()).Count(r => !r.Type.StartsWith("alert", StringComparison.Ordinal));

        // Orleans collects idle activations, timers or not; here at once instead of after the collection age.
        hall.Clock.Advance(TimeSpan.FromMinutes(15));
        await hall.CollectIdleActivationsAsync();
        var completed = await hall.Window("01").CompleteAsync();
        var next = await hall.Window("01").CallNextAsync();

        Assert.Equal((hall.Clock.GetUtcNow() - started.StartedAt!.Value).TotalSeconds, completed.HandleSeconds);
        Assert.Equal(waiting.TicketId, next!.TicketId);
        Assert.Equal(ticketEvents + 2, (await hall.ReadJournalAsync()).Count(r => !r.Type.StartsWith("alert", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Crash_TwiceInARow_StillRebuildsTheSameHall()
    {
        await using var first = await HallFixture.StartAsync();
        await DriveAVariedHallAsync(first, step: TimeSpan.FromMinutes(1));
        var picture = await HallPicture.TakeAsync(first);

        await using var second = await first.CrashAsync();
        await using var third = await second.CrashAsync();

        (await HallPicture.TakeAsync(third)).AssertSameAs(picture);
    }

    /// <summary>
    /// A hall with something in every state: window 01 serving, 02 calling a recalled priority ticket, 03 paused,
    /// 04 closed after work; tickets completed and rated, cancelled, no-show, transferred, and waiting (one with
    /// priority). The clock moves by <paramref name="step"/> between actions; at zero no checkpoint falls due.
    /// </summary>
    private static async Task DriveAVariedHallAsync(HallFixture hall, TimeSpan step)
    {
        foreach (var window in HallFixture.WindowIds)
        {
            await hall.OpenAsync(window);
        }

        foreach (var matter in new[] { "BIZ-REG", "BIZ-CHG", "TAX-INV", "RE-TRANS", "BIZ-REG", "TAX-INV", "RE-TRANS", "BIZ-CHG" })
        {
            await hall.IssueAsync(matter);
            hall.Clock.Advance(step);
        }

        var rated = await hall.ServeNextAsync("04", step * 6);
        await hall.Ticket(rated.TicketId).RateAsync(4, "不错", "visitor");
        await hall.Window("04").CallNextAsync();
        await hall.Window("04").NoShowAsync();
        await hall.Window("04").CloseAsync(clerk: null);
        var cancelled = await hall.IssueAsync("BIZ-REG");
        await hall.Ticket(cancelled.TicketId).CancelAsync("kiosk");
        await hall.Window("03").CallNextAsync();
        await hall.Window("03").StartAsync();
        hall.Clock.Advance(step);
        await hall.Window("03").TransferAsync("TAX-INV");
        await hall.Window("03").PauseAsync(clerk: null);
        await hall.IssueAsync("BIZ-CHG", priority: true);
        await hall.Window("02").CallNextAsync();
        await hall.Window("02").RecallAsync();
        await hall.Window("01").CallNextAsync();
        await hall.Window("01").StartAsync();
        await hall.IssueAsync("RE-TRANS", priority: true);
        hall.Clock.Advance(step);
    }

    /// <summary>
    /// Moves the clock a second at a time, yielding in between, until <paramref name="condition"/> holds. A single
    /// long jump would fire timer ticks and the idle collector within microseconds of each other, while a real
    /// clock leaves the ticks time to finish before the collector looks.
    /// </summary>
    private static async Task AdvanceUntilAsync(HallFixture hall, Func<bool> condition, string because)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, because);
            hall.Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }
    }
}
