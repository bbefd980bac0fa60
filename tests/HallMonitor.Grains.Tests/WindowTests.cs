namespace HallMonitor.Grains.Tests;

public sealed class WindowTests
{
    [Fact]
    public async Task Window_BeforeOpening_IsClosedSinceTheStartOfTheDay()
    {
        await using var hall = await HallFixture.StartAsync();

        var window = await hall.Window("04").GetAsync();

        Assert.Equal(WindowState.Closed, window.State);
        Assert.Null(window.Clerk);
        Assert.Equal("4号窗口", window.Name);
        Assert.Equal(WindowKind.Dedicated, window.Kind);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.FromHours(8)), window.StateSince);
    }

    [Fact]
    public async Task Open_MakesTheWindowIdleWithItsClerk()
    {
        await using var hall = await HallFixture.StartAsync();
        hall.Clock.Advance(TimeSpan.FromMinutes(5));

        var opened = await hall.Window("01").OpenAsync("王芳");

        Assert.Equal(WindowState.Idle, opened.State);
        Assert.Equal("王芳", opened.Clerk);
        Assert.Equal(HallFixture.Morning.AddMinutes(5), opened.StateSince);
        Assert.Equal(0, opened.ServedToday);
    }

    [Fact]
    public async Task Pause_ThenResume_ReturnsTheWindowToIdle()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01", "王芳");
        hall.Clock.Advance(TimeSpan.FromMinutes(10));

        var paused = await hall.Window("01").PauseAsync("王芳");
        hall.Clock.Advance(TimeSpan.FromMinutes(15));
        var resumed = await hall.Window("01").ResumeAsync(clerk: null);

        Assert.Equal(WindowState.Paused, paused.State);
        Assert.Equal(HallFixture.Morning.AddMinutes(10), paused.StateSince);
        Assert.Equal(WindowState.Idle, resumed.State);
        Assert.Equal(HallFixture.Morning.AddMinutes(25), resumed.StateSince);
        Assert.Equal("王芳", resumed.Clerk);
    }

    [Fact]
    public async Task Close_ClearsTheClerk_AndTheWindowCanBeOpenedByAnother()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01", "王芳");

        var closed = await hall.Window("01").CloseAsync("王芳");
        var reopened = await hall.Window("01").OpenAsync("李娜");

        Assert.Equal(WindowState.Closed, closed.State);
        Assert.Null(closed.Clerk);
        Assert.Equal(WindowState.Idle, reopened.State);
        Assert.Equal("李娜", reopened.Clerk);
    }

    [Fact]
    public async Task Close_APausedWindow_IsAllowed()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("02", "王芳");
        await hall.Window("02").PauseAsync(clerk: null);

        var closed = await hall.Window("02").CloseAsync(clerk: null);

        Assert.Equal(WindowState.Closed, closed.State);
    }

    [Fact]
    public async Task WindowActions_AreJournaledWithTheClerkAsActor()
    {
        await using var hall = await HallFixture.StartAsync();

        await hall.Window("02").OpenAsync("王芳");
        await hall.Window("02").PauseAsync(clerk: null);
        await hall.Window("02").ResumeAsync(clerk: null);
        await hall.Window("02").CloseAsync(clerk: null);
        var journal = await hall.ReadJournalAsync();

        Assert.Equal(["windowOpened", "windowPaused", "windowResumed", "windowClosed"], journal.Select(r => r.Type));
        Assert.All(journal, r => Assert.Equal("王芳", r.Actor));
        Assert.All(journal, r => Assert.Equal("02", ((IWindowEvent)r.Event).Window));
    }

    [Fact]
    public async Task ServedToday_CountsCompletedServicesOnly()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        for (var i = 0; i < 4; i++)
        {
            await hall.IssueAsync("BIZ-REG");
        }

        await hall.ServeNextAsync("01", TimeSpan.FromMinutes(5));
        await hall.ServeNextAsync("01", TimeSpan.FromMinutes(5));
        await hall.Window("01").CallNextAsync();
        await hall.Window("01").NoShowAsync();
        await hall.Window("01").CallNextAsync();
        await hall.Window("01").StartAsync();
        await hall.Window("01").TransferAsync("TAX-INV");
        var window = await hall.Window("01").GetAsync();

        Assert.Equal(2, window.ServedToday);
    }

    [Fact]
    public async Task ServedToday_IsPerWindow()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        await hall.OpenAsync("03");
        await hall.IssueAsync("BIZ-REG");
        await hall.IssueAsync("BIZ-REG");
        await hall.IssueAsync("BIZ-REG");

        await hall.ServeNextAsync("01", TimeSpan.FromMinutes(5));
        await hall.ServeNextAsync("03", TimeSpan.FromMinutes(5));
        await hall.ServeNextAsync("03", TimeSpan.FromMinutes(5));

        Assert.Equal(1, (await hall.Window("01").GetAsync()).ServedToday);
        Assert.Equal(2, (await hall.Window("03").GetAsync()).ServedToday);
    }

    [Fact]
    public async Task ServedToday_StartsAgainOnTheNextServiceDay()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("03");
        await hall.IssueAsync("BIZ-REG");
        await hall.IssueAsync("BIZ-REG");
        await hall.ServeNextAsync("03", TimeSpan.FromMinutes(5));
        await hall.ServeNextAsync("03", TimeSpan.FromMinutes(5));
        var yesterday = await hall.Window("03").GetAsync();

        await hall.StartNextServiceDayAsync(expectedExpiries: 0);
        var atMidnight = await hall.Window("03").GetAsync();
        await hall.IssueAsync("BIZ-REG");
        await hall.ServeNextAsync("03", TimeSpan.FromMinutes(5));
        var afterFirstService = await hall.Window("03").GetAsync();

        Assert.Equal(2, yesterday.ServedToday);
        Assert.Equal(0, atMidnight.ServedToday);
        Assert.Equal(1, afterFirstService.ServedToday);
    }

    [Fact]
    public async Task Window_StaysOpenOverNight()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("03", "王芳");

        await hall.StartNextServiceDayAsync(expectedExpiries: 0);
        var window = await hall.Window("03").GetAsync();

        Assert.Equal(WindowState.Idle, window.State);
        Assert.Equal("王芳", window.Clerk);
    }
}
