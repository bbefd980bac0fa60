namespace HallMonitor.Grains.Tests;

/// <summary>
/// A new ticket's estimate: <c>ahead × average handling time ÷ serving windows</c>, where the average is that of
/// the matter's last 20 services (its handle target before any) and the windows are the open ones serving the
/// matter (or, when none is open, all configured for it).
/// </summary>
public sealed class EstimateTests
{
    [Fact]
    public async Task FirstTicket_HasNobodyAheadAndNoWait()
    {
        await using var hall = await HallFixture.StartAsync();

        var ticket = await hall.IssueAsync("BIZ-REG");

        Assert.Equal(0, ticket.Ahead);
        Assert.Equal(0, ticket.EstimatedWaitSeconds);
    }

    [Fact]
    public async Task WithNoWindowOpen_SharesTheQueueAmongTheWindowsConfiguredForTheMatter()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.IssueAsync("BIZ-REG");
        await hall.IssueAsync("BIZ-REG");

        var third = await hall.IssueAsync("BIZ-REG");

        // BIZ-REG: handle target 1200 s; windows 01, 02 and 03 serve it.
        Assert.Equal(2, third.Ahead);
        Assert.Equal(2 * 1200 / 3, third.EstimatedWaitSeconds);
    }

    [Fact]
    public async Task WithWindowsOpen_SharesTheQueueAmongTheOpenOnesServingTheMatter()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        await hall.OpenAsync("04");
        await hall.IssueAsync("BIZ-REG");
        await hall.IssueAsync("BIZ-REG");
        await hall.Hall.GetSnapshotAsync();

        var third = await hall.IssueAsync("BIZ-REG");

        // Only window 01 of the two open ones serves BIZ-REG.
        Assert.Equal(2, third.Ahead);
        Assert.Equal(2 * 1200, third.EstimatedWaitSeconds);
    }

    [Fact]
    public async Task PausedWindows_DoNotCountAsServing()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        await hall.OpenAsync("03");
        await hall.Window("03").PauseAsync(clerk: null);
        await hall.IssueAsync("BIZ-REG");
        await hall.Hall.GetSnapshotAsync();

        var second = await hall.IssueAsync("BIZ-REG");

        Assert.Equal(1200, second.EstimatedWaitSeconds);
    }

    [Fact]
    public async Task BusyWindows_CountAsServing()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        await hall.OpenAsync("03");
        await hall.IssueAsync("BIZ-REG");
        await hall.IssueAsync("BIZ-REG");
        await hall.IssueAsync("BIZ-REG");
        await hall.Window("01").CallNextAsync();
        await hall.Window("03").CallNextAsync();
        await hall.Window("03").StartAsync();
        await hall.Hall.GetSnapshotAsync();

        var fourth = await hall.IssueAsync("BIZ-REG");

        Assert.Equal(1, fourth.Ahead);
        Assert.Equal(1200 / 2, fourth.EstimatedWaitSeconds);
    }

    [Fact]
    public async Task UsesEachMattersOwnHandleTargetBeforeAnyService()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.IssueAsync("TAX-INV");
        await hall.IssueAsync("TAX-INV");

        var third = await hall.IssueAsync("TAX-INV");

        // TAX-INV: handle target 600 s; windows 01, 02 and 04 serve it.
        Assert.Equal(2 * 600 / 3, third.EstimatedWaitSeconds);
    }

    [Fact]
    public async Task AfterServices_UsesTheAverageHandlingTime()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("03");
        await hall.IssueAsync("BIZ-REG");
        await hall.IssueAsync("BIZ-REG");
        await hall.ServeNextAsync("03", TimeSpan.FromSeconds(300));
        await hall.ServeNextAsync("03", TimeSpan.FromSeconds(500));
        await hall.IssueAsync("BIZ-REG");
        await hall.IssueAsync("BIZ-REG");
        await hall.Hall.GetSnapshotAsync();

        var third = await hall.IssueAsync("BIZ-REG");

        Assert.Equal(2, third.Ahead);
        Assert.Equal(2 * (300 + 500) / 2, third.EstimatedWaitSeconds);
    }

    [Fact]
    public async Task AfterServices_AveragesOnlyTheLastTwenty()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("04");
        for (var i = 0; i < 21; i++)
        {
            await hall.IssueAsync("TAX-INV");
        }

        await hall.ServeNextAsync("04", TimeSpan.FromSeconds(2000));
        for (var i = 0; i < 20; i++)
        {
            await hall.ServeNextAsync("04", TimeSpan.FromSeconds(100));
        }

        await hall.IssueAsync("TAX-INV");
        await hall.Hall.GetSnapshotAsync();

        var second = await hall.IssueAsync("TAX-INV");

        Assert.Equal(1, second.Ahead);
        Assert.Equal(100, second.EstimatedWaitSeconds);
    }

    [Fact]
    public async Task AfterServicesOfAnotherMatter_StillUsesTheHandleTarget()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        await hall.IssueAsync("BIZ-CHG");
        await hall.ServeNextAsync("01", TimeSpan.FromSeconds(60));
        await hall.IssueAsync("BIZ-REG");
        await hall.Hall.GetSnapshotAsync();

        var second = await hall.IssueAsync("BIZ-REG");

        Assert.Equal(1200, second.EstimatedWaitSeconds);
    }

    [Fact]
    public async Task Ahead_CountsOnlyTheSameMatterEvenWithASharedPrefix()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.IssueAsync("BIZ-CHG");
        await hall.IssueAsync("BIZ-CHG");
        await hall.IssueAsync("TAX-INV");

        var registration = await hall.IssueAsync("BIZ-REG");

        Assert.Equal(0, registration.Ahead);
    }

    [Fact]
    public async Task Ahead_ForANormalTicket_CountsPriorityTicketsIssuedLater()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.IssueAsync("BIZ-REG");
        var normal = await hall.IssueAsync("BIZ-REG");
        await hall.IssueAsync("BIZ-REG", priority: true);

        var another = await hall.IssueAsync("BIZ-REG");

        Assert.Equal(1, normal.Ahead);
        Assert.Equal(3, another.Ahead);
    }

    [Fact]
    public async Task Ahead_ForAPriorityTicket_CountsOnlyEarlierPriorityTickets()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.IssueAsync("BIZ-REG");
        await hall.IssueAsync("BIZ-REG");
        await hall.IssueAsync("BIZ-REG", priority: true);

        var priority = await hall.IssueAsync("BIZ-REG", priority: true);

        Assert.Equal(1, priority.Ahead);
        Assert.Equal(1200 / 3, priority.EstimatedWaitSeconds);
    }

    [Fact]
    public async Task Ahead_LeavesOutTicketsAlreadyCalledOrCancelled()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("03");
        await hall.IssueAsync("BIZ-REG");
        var cancelled = await hall.IssueAsync("BIZ-REG");
        await hall.IssueAsync("BIZ-REG");
        await hall.Window("03").CallNextAsync();
        await hall.Ticket(cancelled.TicketId).CancelAsync("kiosk");

        var next = await hall.IssueAsync("BIZ-REG");

        Assert.Equal(1, next.Ahead);
    }
}
