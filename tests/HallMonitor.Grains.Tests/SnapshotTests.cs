namespace HallMonitor.Grains.Tests;

public sealed class SnapshotTests
{
    [Fact]
    public async Task Snapshot_OfANewHall_HasNothingYet()
    {
        await using var hall = await HallFixture.StartAsync();

        var snapshot = await hall.Hall.GetSnapshotAsync();

        Assert.Equal(0, snapshot.Seq);
        Assert.Equal(new DateOnly(2026, 11, 23), snapshot.ServiceDay);
        Assert.Equal(new HallKpis(), snapshot.Kpis);
        Assert.Null(snapshot.Kpis.AvgWaitSeconds);
        Assert.Null(snapshot.Kpis.SatisfactionRate);
        Assert.All(snapshot.Windows, w => Assert.Equal(WindowState.Closed, w.State));
        Assert.Equal(HallFixture.MatterCodes, snapshot.Queues.Select(q => q.Matter));
        Assert.All(snapshot.Queues, q => Assert.Equal((0, 0.0), (q.Waiting, q.OldestWaitSeconds)));
    }

    [Fact]
    public async Task Snapshot_Kpis_MatchAHandComputedMorning()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        await hall.OpenAsync("04");
        var registration = await hall.IssueAsync("BIZ-REG");
        var tax = await hall.IssueAsync("TAX-INV");
        await hall.IssueAsync("RE-TRANS");
        var change = await hall.IssueAsync("BIZ-CHG");

        hall.Clock.Advance(TimeSpan.FromSeconds(600));
        await hall.ServeNextAsync("01", TimeSpan.FromSeconds(900));     // BIZ-REG: waited 600 of 1800, handled 900
        await hall.ServeNextAsync("04", TimeSpan.FromSeconds(300));     // TAX-INV: waited 1500 of 1200 (late), handled 300
        await hall.Window("04").CallNextAsync();                         // RE-TRANS: waited 1800 of 1800 (at the target: late)
        await hall.Window("04").NoShowAsync();
        await hall.Ticket(change.TicketId).CancelAsync("kiosk");
        await hall.IssueAsync("BIZ-REG");
        await hall.Ticket(registration.TicketId).RateAsync(5, null, "visitor");
        await hall.Ticket(tax.TicketId).RateAsync(3, null, "visitor");
        var kpis = (await hall.Hall.GetSnapshotAsync()).Kpis;

        Assert.Equal((5, 1, 2, 1, 1, 2), (kpis.Issued, kpis.Waiting, kpis.Completed, kpis.NoShow, kpis.Cancelled, kpis.Rated));
        Assert.Equal((600 + 1500 + 1800) / 3.0, kpis.AvgWaitSeconds!.Value, 1);
        Assert.Equal((900 + 300) / 2.0, kpis.AvgHandleSeconds!.Value, 1);
        Assert.Equal(1 / 3.0, kpis.ServiceLevel!.Value, 4);
        Assert.Equal(0.5, kpis.SatisfactionRate!.Value, 4);
    }

    [Fact]
    public async Task Snapshot_Kpis_MatchFiguresComputedFromTheTickets()
    {
        await using var hall = await HallFixture.StartAsync();
        var random = new Random(20261123);
        foreach (var window in HallFixture.WindowIds)
        {
            await hall.OpenAsync(window);
        }

        var issued = new List<string>();
        for (var step = 0; step < 300; step++)
        {
            hall.Clock.Advance(TimeSpan.FromSeconds(random.Next(5, 120)));
            if (random.Next(3) == 0)
            {
                issued.Add((await hall.IssueAsync(HallFixture.MatterCodes[random.Next(4)], priority: random.Next(10) == 0)).TicketId);
                continue;
            }

            var window = hall.Window(HallFixture.WindowIds[random.Next(4)]);
            switch ((await window.GetAsync()).State)
            {
                case WindowState.Idle:
                    await window.CallNextAsync();
                    break;
                case WindowState.Calling:
                    await (random.Next(5) == 0 ? window.NoShowAsync() : window.StartAsync());
                    break;
                case WindowState.Serving:
                    var completed = await window.CompleteAsync();
                    if (random.Next(3) > 0)
                    {
                        await hall.Ticket(completed.TicketId).RateAsync(random.Next(1, 6), null, "visitor");
                    }

                    break;
            }
        }

        var tickets = new List<TicketView>();
        foreach (var ticketId in issued)
        {
            tickets.Add(await hall.Ticket(ticketId).GetAsync());
        }

        var kpis = (await hall.Hall.GetSnapshotAsync()).Kpis;
        var waitTargets = HallFixture.TestHalls().Halls[0].Matters.ToDictionary(m => m.Code, m => m.WaitTargetSeconds);
        var called = tickets.Where(t => t.CalledAt is not null).ToList();
        var completedTickets = tickets.Where(t => t.State == TicketState.Completed).ToList();
        var ratings = tickets.Where(t => t.Rating is not null).Select(t => t.Rating!.Score).ToList();

        Assert.True(called.Count > 10 && completedTickets.Count > 5 && ratings.Count > 3, "the random morning should have done some work");
        Assert.Equal(tickets.Count, kpis.Issued);
        Assert.Equal(tickets.Count(t => t.State == TicketState.Waiting), kpis.Waiting);
        Assert.Equal(completedTickets.Count, kpis.Completed);
        Assert.Equal(tickets.Count(t => t.State == TicketState.NoShow), kpis.NoShow);
        Assert.Equal(called.Average(t => t.WaitSeconds), kpis.AvgWaitSeconds!.Value, 1);
        Assert.Equal(completedTickets.Average(t => t.HandleSeconds!.Value), kpis.AvgHandleSeconds!.Value, 1);
        Assert.Equal(called.Count(t => t.WaitSeconds <= waitTargets[t.Matter]) / (double)called.Count, kpis.ServiceLevel!.Value, 4);
        Assert.Equal(ratings.Count(s => s >= 4) / (double)ratings.Count, kpis.SatisfactionRate!.Value, 4);
        Assert.Equal(ratings.Count, kpis.Rated);
    }

    [Fact]
    public async Task Snapshot_ServiceLevel_JudgesEachCallByItsOwnMattersWaitTarget()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        await hall.OpenAsync("02");
        await hall.IssueAsync("BIZ-REG");
        await hall.IssueAsync("TAX-INV");
        hall.Clock.Advance(TimeSpan.FromSeconds(1300));

        await hall.Window("01").CallNextAsync();
        await hall.Window("02").CallNextAsync();
        var kpis = (await hall.Hall.GetSnapshotAsync()).Kpis;

        Assert.Equal(0.5, kpis.ServiceLevel);
        Assert.Equal(1300, kpis.AvgWaitSeconds);
    }

    [Fact]
    public async Task Snapshot_SatisfactionRate_IsTheShareOfFoursAndFives()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        foreach (var score in new[] { 5, 4, 3, 2, 1 })
        {
            var ticket = await hall.IssueAsync("BIZ-REG");
            await hall.ServeNextAsync("01", TimeSpan.FromMinutes(5));
            await hall.Ticket(ticket.TicketId).RateAsync(score, null, "visitor");
        }

        var kpis = (await hall.Hall.GetSnapshotAsync()).Kpis;

        Assert.Equal(0.4, kpis.SatisfactionRate);
        Assert.Equal(5, kpis.Rated);
    }

    [Fact]
    public async Task Snapshot_Queues_ShowWaitingAndTheOldestWait()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.IssueAsync("BIZ-REG");
        hall.Clock.Advance(TimeSpan.FromMinutes(5));
        await hall.IssueAsync("BIZ-REG");
        hall.Clock.Advance(TimeSpan.FromMinutes(2));
        await hall.IssueAsync("BIZ-REG", priority: true);
        await hall.IssueAsync("TAX-INV");
        hall.Clock.Advance(TimeSpan.FromMinutes(3));

        var queues = (await hall.Hall.GetSnapshotAsync()).Queues.ToDictionary(q => q.Matter);

        Assert.Equal((3, 1, 600.0), (queues["BIZ-REG"].Waiting, queues["BIZ-REG"].PriorityWaiting, queues["BIZ-REG"].OldestWaitSeconds));
        Assert.Equal((1, 180.0), (queues["TAX-INV"].Waiting, queues["TAX-INV"].OldestWaitSeconds));
        Assert.Equal((0, 0.0), (queues["BIZ-CHG"].Waiting, queues["BIZ-CHG"].OldestWaitSeconds));
        Assert.Equal(("企业设立登记", "商事登记", 1800), (queues["BIZ-REG"].Name, queues["BIZ-REG"].Category, queues["BIZ-REG"].WaitTargetSeconds));
    }

    [Fact]
    public async Task Snapshot_Queues_OldestWaitMovesOnWhenTheOldestIsCalled()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("03");
        await hall.IssueAsync("BIZ-REG");
        hall.Clock.Advance(TimeSpan.FromMinutes(5));
        await hall.IssueAsync("BIZ-REG");
        hall.Clock.Advance(TimeSpan.FromMinutes(5));

        await hall.Window("03").CallNextAsync();
        var queue = (await hall.Hall.GetSnapshotAsync()).Queues.Single(q => q.Matter == "BIZ-REG");

        Assert.Equal((1, 300.0), (queue.Waiting, queue.OldestWaitSeconds));
    }

    [Fact]
    public async Task Snapshot_Windows_ShowStateClerkAndTicket()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01", "王芳");
        await hall.OpenAsync("02", "李娜");
        await hall.OpenAsync("03", "张伟");
        var serving = await hall.IssueAsync("BIZ-REG");
        var calling = await hall.IssueAsync("TAX-INV");
        await hall.Window("01").CallNextAsync();
        await hall.Window("01").StartAsync();
        await hall.Window("02").CallNextAsync();
        await hall.Window("03").PauseAsync(clerk: null);

        var windows = (await hall.Hall.GetSnapshotAsync()).Windows.ToDictionary(w => w.WindowId);

        Assert.Equal((WindowState.Serving, "王芳", serving.TicketId, TicketState.Serving), (windows["01"].State, windows["01"].Clerk, windows["01"].Ticket!.TicketId, windows["01"].Ticket!.State));
        Assert.Equal((WindowState.Calling, "李娜", calling.TicketId, TicketState.Called), (windows["02"].State, windows["02"].Clerk, windows["02"].Ticket!.TicketId, windows["02"].Ticket!.State));
        Assert.Equal((WindowState.Paused, "张伟", (WindowTicket?)null), (windows["03"].State, windows["03"].Clerk, windows["03"].Ticket));
        Assert.Equal((WindowState.Closed, (string?)null), (windows["04"].State, windows["04"].Clerk));
    }

    [Fact]
    public async Task Snapshot_Windows_AgreeWithTheWindowGrains()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        await hall.OpenAsync("04");
        await hall.IssueAsync("TAX-INV");
        await hall.IssueAsync("TAX-INV");
        await hall.ServeNextAsync("04", TimeSpan.FromMinutes(5));
        await hall.Window("01").CallNextAsync();
        await hall.Window("01").RecallAsync();

        var snapshot = await hall.Hall.GetSnapshotAsync();

        foreach (var window in snapshot.Windows)
        {
            Assert.Equal(await hall.Window(window.WindowId).GetAsync(), window);
        }
    }

    [Fact]
    public async Task Snapshot_Seq_IsTheLastJournalEvent()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("03");
        await hall.IssueAsync("BIZ-REG");
        await hall.ServeNextAsync("03", TimeSpan.FromMinutes(5));

        var snapshot = await hall.Hall.GetSnapshotAsync();

        Assert.Equal((await hall.ReadJournalAsync())[^1].Seq, snapshot.Seq);
        Assert.Equal(5, snapshot.Seq);
    }
}
