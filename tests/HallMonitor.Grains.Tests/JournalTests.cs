namespace HallMonitor.Grains.Tests;

public sealed class JournalTests
{
    private static readonly string Genesis = new('0', 64);

    [Fact]
    public async Task Journal_NumbersEventsFromOneWithoutGaps()
    {
        await using var hall = await HallFixture.StartAsync();

        await DriveSomeWorkAsync(hall);
        var journal = await hall.ReadJournalAsync();

        Assert.Equal(Enumerable.Range(1, journal.Count).Select(n => (long)n), journal.Select(r => r.Seq));
    }

    [Fact]
    public async Task Journal_LinksEveryEventToThePreviousOnesHash()
    {
        await using var hall = await HallFixture.StartAsync();

        await DriveSomeWorkAsync(hall);
        var journal = await hall.ReadJournalAsync();

        Assert.Equal(Genesis, journal[0].PrevHash);
        Assert.All(journal.Skip(1).Zip(journal), pair => Assert.Equal(pair.Second.Hash, pair.First.PrevHash));
        Assert.Equal(journal.Count, journal.Select(r => r.Hash).Distinct().Count());
    }

    [Fact]
    public async Task Journal_RecordsTheHallsLocalTimeAndTheActor()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("03", "王芳");
        hall.Clock.Advance(TimeSpan.FromMinutes(2));

        await hall.IssueAsync("BIZ-REG");
        var journal = await hall.ReadJournalAsync();

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 9, 2, 0, TimeSpan.FromHours(8)), journal[1].At);
        Assert.Equal(TimeSpan.FromHours(8), journal[1].At.Offset);
        Assert.Equal(["王芳", "kiosk"], journal.Select(r => r.Actor));
    }

    [Fact]
    public async Task Journal_UnderConcurrentCommands_StaysGaplessAndChained()
    {
        await using var hall = await HallFixture.StartAsync();
        foreach (var window in HallFixture.WindowIds)
        {
            await hall.OpenAsync(window);
        }

        var issuing = Enumerable.Range(0, 200).Select(i => Task.Run(() => hall.IssueAsync(HallFixture.MatterCodes[i % 4])));
        var calling = HallFixture.WindowIds.Select(window => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                if (await hall.Window(window).CallNextAsync() is not null)
                {
                    await hall.Window(window).StartAsync();
                    await hall.Window(window).CompleteAsync();
                }
            }
        }));
        await Task.WhenAll(issuing.Cast<Task>().Concat(calling));
        var journal = await hall.ReadJournalAsync();
        var verification = await hall.Hall.VerifyJournalAsync();

        Assert.Equal(Enumerable.Range(1, journal.Count).Select(n => (long)n), journal.Select(r => r.Seq));
        Assert.True(verification.Ok, verification.Problem);
        Assert.Equal(journal.Count, verification.Events);
    }

    [Fact]
    public async Task Verify_CleanJournal_IsOkUpToItsLastEvent()
    {
        await using var hall = await HallFixture.StartAsync();
        await DriveSomeWorkAsync(hall);
        var journal = await hall.ReadJournalAsync();

        var verification = await hall.Hall.VerifyJournalAsync();

        Assert.True(verification.Ok, verification.Problem);
        Assert.Equal(journal.Count, verification.Events);
        Assert.Equal(journal[^1].Seq, verification.LastSeq);
        Assert.Equal(journal[^1].Hash, verification.LastHash);
        Assert.Null(verification.FirstBadSeq);
    }

    [Fact]
    public async Task Verify_WhileTheHallGoesOnWriting_IsOkUpToWhatItRead()
    {
        GatedReads? gated = null;
        await using var hall = await HallFixture.StartAsync(journalStore: memory => gated = new GatedReads(memory));
        await hall.IssueAsync("BIZ-REG");

        // The verification has read the journal's one event; a second commits before the reading returns.
        var gate = gated!.HoldNextReadFromTheStart();
        var verifying = hall.Hall.VerifyJournalAsync();
        await gate.Read;
        await hall.IssueAsync("BIZ-REG");
        gate.Release();
        var verification = await verifying;

        Assert.True(verification.Ok, verification.Problem);
        Assert.Equal(1, verification.LastSeq);
        Assert.True((await hall.Hall.VerifyJournalAsync()).Ok);
    }

    /// <summary>Holds back the answer of the next read from the journal's start, after it was read.</summary>
    private sealed class GatedReads(MemoryJournalStore store) : IJournalStore
    {
        private Gate? _next;

        public long Epoch => store.Epoch;

        public Gate HoldNextReadFromTheStart() => _next = new Gate();

        public Task AppendAsync(IReadOnlyList<JournalRecord> records, long epoch, Action committed) => store.AppendAsync(records, epoch, committed);

        public Task<JournalTail> ReadTailAsync(string hallId, CancellationToken cancellationToken = default) => store.ReadTailAsync(hallId, cancellationToken);

        public async Task<IReadOnlyList<JournalRecord>> ReadAsync(string hallId, JournalQuery query, CancellationToken cancellationToken = default)
        {
            var page = await store.ReadAsync(hallId, query, cancellationToken);
            if (query.AfterSeq == 0 && Interlocked.Exchange(ref _next, null) is { } gate)
            {
                gate.HasRead.SetResult();
                await gate.Released.Task;
            }

            return page;
        }
    }

    private sealed class Gate
    {
        public TaskCompletionSource HasRead { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Read => HasRead.Task;

        public void Release() => Released.SetResult();
    }

    [Fact]
    public async Task Verify_EmptyJournal_IsOk()
    {
        await using var hall = await HallFixture.StartAsync();

        var verification = await hall.Hall.VerifyJournalAsync();

        Assert.True(verification.Ok, verification.Problem);
        Assert.Equal(0, verification.Events);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(7)]
    public async Task Verify_AfterAnEventsActorWasEdited_NamesThatEvent(long seq)
    {
        await using var hall = await HallFixture.StartAsync();
        await DriveSomeWorkAsync(hall);

        hall.Journal.Tamper(HallFixture.HallId, seq, record => record with { Actor = "somebody else" });
        var verification = await hall.Hall.VerifyJournalAsync();

        Assert.False(verification.Ok);
        Assert.Equal(seq, verification.FirstBadSeq);
        Assert.Equal(seq - 1, verification.LastSeq);
    }

    [Fact]
    public async Task Verify_AfterARatingWasRaised_NamesTheRatingEvent()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("03");
        var ticket = await hall.IssueAsync("BIZ-REG");
        await hall.ServeNextAsync("03", TimeSpan.FromMinutes(5));
        await hall.Ticket(ticket.TicketId).RateAsync(1, "太慢", "visitor");
        await hall.IssueAsync("BIZ-REG");
        var rating = (await hall.ReadJournalAsync()).Single(r => r.Type == "ticketRated");

        hall.Journal.Tamper(HallFixture.HallId, rating.Seq, record => record with { Data = record.Data.Replace("\"score\":1", "\"score\":5", StringComparison.Ordinal) });
        var verification = await hall.Hall.VerifyJournalAsync();

        Assert.NotEqual(rating.Data, (await hall.ReadJournalAsync()).Single(r => r.Seq == rating.Seq).Data);
        Assert.False(verification.Ok);
        Assert.Equal(rating.Seq, verification.FirstBadSeq);
    }

    [Fact]
    public async Task Verify_AfterAnEditWithARecomputedHash_NamesTheBrokenLinkAfterIt()
    {
        await using var hall = await HallFixture.StartAsync();
        await DriveSomeWorkAsync(hall);

        hall.Journal.Tamper(HallFixture.HallId, 3, record =>
        {
            var edited = record with { Actor = "somebody else" };
            return edited with { Hash = JournalHash.Compute(edited) };
        });
        var verification = await hall.Hall.VerifyJournalAsync();

        Assert.False(verification.Ok);
        Assert.Equal(4, verification.FirstBadSeq);
    }

    [Fact]
    public async Task FailedWrite_OnIssue_ThrowsAndChangesNothing()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.IssueAsync("BIZ-REG");
        var before = await HallPicture.TakeAsync(hall);

        hall.Journal.FailNextAppends(1);
        await Assert.ThrowsAsync<JournalUnavailableException>(() => hall.IssueAsync("BIZ-REG"));

        (await HallPicture.TakeAsync(hall)).AssertSameAs(before);
    }

    [Fact]
    public async Task FailedWrite_OnStart_ThrowsAndLeavesTheTicketCalled()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        await hall.IssueAsync("BIZ-REG");
        await hall.Window("01").CallNextAsync();
        var before = await HallPicture.TakeAsync(hall);

        hall.Journal.FailNextAppends(1);
        await Assert.ThrowsAsync<JournalUnavailableException>(() => hall.Window("01").StartAsync());

        (await HallPicture.TakeAsync(hall)).AssertSameAs(before);
        Assert.Equal(WindowState.Calling, (await hall.Window("01").GetAsync()).State);
    }

    [Fact]
    public async Task FailedWrite_OnCallNext_LeavesTheTicketWaitingForTheNextCall()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        var issued = await hall.IssueAsync("BIZ-REG");
        var before = await HallPicture.TakeAsync(hall);

        hall.Journal.FailNextAppends(1);
        await Assert.ThrowsAsync<JournalUnavailableException>(() => hall.Window("01").CallNextAsync());
        var picture = await HallPicture.TakeAsync(hall);
        var called = await hall.Window("01").CallNextAsync();

        picture.AssertSameAs(before);
        Assert.Equal(issued.TicketId, called!.TicketId);
    }

    [Fact]
    public async Task FailedWrite_OnTransfer_KeepsTheServiceAndWritesNoLeg()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        await hall.IssueAsync("BIZ-REG");
        await hall.Window("01").CallNextAsync();
        await hall.Window("01").StartAsync();
        var before = await HallPicture.TakeAsync(hall);

        hall.Journal.FailNextAppends(1);
        await Assert.ThrowsAsync<JournalUnavailableException>(() => hall.Window("01").TransferAsync("TAX-INV"));
        var picture = await HallPicture.TakeAsync(hall);
        var leg = await hall.Window("01").TransferAsync("TAX-INV");

        picture.AssertSameAs(before);
        Assert.Equal("B001", leg.Number);
    }

    [Fact]
    public async Task FailedWrite_OnRating_LetsTheVisitorRateAgain()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("03");
        var issued = await hall.IssueAsync("BIZ-REG");
        await hall.ServeNextAsync("03", TimeSpan.FromMinutes(5));

        hall.Journal.FailNextAppends(1);
        await Assert.ThrowsAsync<JournalUnavailableException>(() => hall.Ticket(issued.TicketId).RateAsync(5, null, "visitor"));
        var unrated = await hall.Ticket(issued.TicketId).GetAsync();
        var rated = await hall.Ticket(issued.TicketId).RateAsync(4, null, "visitor");

        Assert.Null(unrated.Rating);
        Assert.Equal(4, rated.Rating!.Score);
    }

    [Fact]
    public async Task FailedWrite_ThenTheNextCommandsContinueGaplessAndVerifiable()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        await hall.IssueAsync("BIZ-REG");
        var lengthBefore = (await hall.ReadJournalAsync()).Count;

        hall.Journal.FailNextAppends(1);
        await Assert.ThrowsAsync<JournalUnavailableException>(() => hall.IssueAsync("BIZ-CHG"));
        var next = await hall.IssueAsync("BIZ-CHG");
        await hall.ServeNextAsync("01", TimeSpan.FromMinutes(3));
        var journal = await hall.ReadJournalAsync();
        var verification = await hall.Hall.VerifyJournalAsync();

        Assert.Equal("A002", next.Number);
        Assert.Equal(lengthBefore + 1, journal.Single(r => r.Event is TicketIssued { Number: "A002" }).Seq);
        Assert.Equal(Enumerable.Range(1, journal.Count).Select(n => (long)n), journal.Select(r => r.Seq));
        Assert.True(verification.Ok, verification.Problem);
        Assert.Equal(journal.Count, (await hall.Hall.GetSnapshotAsync()).Seq);
    }

    [Fact]
    public async Task ReadJournal_PagesFromASeq()
    {
        await using var hall = await HallFixture.StartAsync();
        await DriveSomeWorkAsync(hall);
        var journal = await hall.ReadJournalAsync();

        var first = await hall.Hall.ReadJournalAsync(1, 3);
        var second = await hall.Hall.ReadJournalAsync(first.NextSeq!.Value, 100);

        Assert.Equal([1L, 2L, 3L], first.Events.Select(e => e.Seq));
        Assert.Equal(4, first.NextSeq);
        Assert.Equal(journal.Skip(3).Select(r => r.Seq), second.Events.Select(e => e.Seq));
        Assert.Null(second.NextSeq);
        Assert.Equal(journal[3].Hash, second.Events[0].Hash);
        Assert.Equal(journal[2].Hash, second.Events[0].PrevHash);
    }

    /// <summary>Eight events: two windows open, three tickets issued, one served at window 03.</summary>
    private static async Task DriveSomeWorkAsync(HallFixture hall)
    {
        await hall.OpenAsync("03");
        await hall.OpenAsync("04");
        await hall.IssueAsync("BIZ-REG");
        await hall.IssueAsync("TAX-INV");
        await hall.IssueAsync("BIZ-CHG");
        await hall.ServeNextAsync("03", TimeSpan.FromMinutes(3));
    }
}

/// <summary>The hall's own record of the last event anchors the chain's tail.</summary>
public sealed class JournalAnchorTests
{
    [Fact]
    public async Task Verify_CatchesTheLastEventEditedWithItsHashRecomputed()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.IssueAsync("BIZ-REG");
        await hall.IssueAsync("TAX-INV");
        await hall.Hall.GetSnapshotAsync();

        hall.Journal.Tamper(HallFixture.HallId, 2, record =>
        {
            var forged = record with { Data = record.Data.Replace("TAX-INV", "BIZ-REG", StringComparison.Ordinal) };
            return forged with { Hash = JournalHash.Compute(forged) };
        });
        var verification = await hall.Hall.VerifyJournalAsync();

        Assert.False(verification.Ok);
        Assert.Equal(2, verification.FirstBadSeq);
        Assert.Contains("not the one the hall recorded", verification.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_CatchesTheTailEditedWhileTheSiloWasDown_FromTheHallsCheckpoint()
    {
        var before = await HallFixture.StartAsync();
        await before.IssueAsync("BIZ-REG");
        await before.IssueAsync("TAX-INV");
        await before.CheckpointHallAsync();
        before.Journal.Tamper(HallFixture.HallId, 2, record =>
        {
            var forged = record with { Actor = "somebody else" };
            return forged with { Hash = JournalHash.Compute(forged) };
        });

        await using var hall = await before.CrashAsync();
        var verification = await hall.Hall.VerifyJournalAsync();

        Assert.False(verification.Ok);
        Assert.Equal(2, verification.FirstBadSeq);
    }
}

/// <summary>Verification of rows whose data no longer decodes although their hashes were made to fit.</summary>
public sealed class UndecodableRowTests
{
    [Fact]
    public async Task Verify_ReportsDataThatCannotBeDecoded_EvenWithItsHashRecomputed()
    {
        var store = new MemoryJournalStore();
        var journal = new HallJournal("test", store);
        await journal.AppendAsync([new WindowOpened("01", "王芳")], HallFixture.Morning, "王芳");
        await journal.AppendAsync([new WindowPaused("01", "王芳")], HallFixture.Morning, "王芳");
        store.Tamper("test", 2, record =>
        {
            var damaged = record with { Data = "{\"window\": " };
            return damaged with { Hash = JournalHash.Compute(damaged) };
        });

        var verification = await journal.VerifyAsync();

        Assert.False(verification.Ok);
        Assert.Equal(2, verification.FirstBadSeq);
        Assert.Equal("Event 2: its 'windowPaused' data cannot be decoded.", verification.Problem);
    }
}
