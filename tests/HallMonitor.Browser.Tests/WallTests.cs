using System.Diagnostics;
using System.Text.RegularExpressions;
using HallMonitor.Testing;
using static Microsoft.Playwright.Assertions;

namespace HallMonitor.Browser.Tests;

public sealed partial class WallTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly DateTimeOffset Morning = new(2026, 11, 23, 1, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Wall_ShowsANewlyCalledNumberWithinOneSecond()
    {
        await using var host = new PageHost();
        using var api = host.Api();
        await api.IssueAsync("RE-TRANS");
        await api.OpenAsync("09", "陈静");
        await using var page = await browser.OpenAsync(host, "/wall/xinqu", 1920, 1080);
        await page.WaitUntilLiveAsync();
        var tile = page.Page.Locator(".tile[data-window='09']");
        await Expect(tile).ToHaveAttributeAsync("data-state", "idle");

        var clock = Stopwatch.StartNew();
        var called = await api.CallNextAsync("09");
        await Expect(tile.Locator(".tile-number")).ToHaveTextAsync(called.Number, new() { Timeout = 1000 });
        clock.Stop();

        await Expect(tile).ToHaveAttributeAsync("data-state", "calling");
        Assert.InRange(clock.ElapsedMilliseconds, 0, 1000);
        await Expect(page.Page.Locator(".kpi[data-kpi='issued'] .kpi-value")).ToHaveTextAsync("1");
        await page.ScreenshotAsync("wall-called");
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Wall_ListsAnAlertAtItsMomentAndAcknowledgesIt()
    {
        var clock = new ManualTimeProvider(Morning);
        await using var host = new PageHost(clock);
        using var api = host.Api();
        var ticket = await api.IssueAsync("TAX-INV");
        await using var page = await browser.OpenAsync(host, "/wall/xinqu", 1920, 1080);
        await page.WaitUntilLiveAsync();
        await page.Page.FillAsync("#duty", "值班长");
        await page.Page.DispatchEventAsync("#duty", "change");

        // TAX-INV waits 1200 s at most; the warning comes at 0.8 of it.
        clock.Advance(TimeSpan.FromSeconds(960));
        var alert = page.Page.Locator($".alert[data-alert='wait-{ticket.TicketId}']");
        await Expect(alert).ToHaveAttributeAsync("data-level", "warning");
        await Expect(alert.Locator(".alert-title")).ToContainTextAsync(ticket.Number);
        await Expect(page.Page.Locator(".kpi[data-kpi='alerts'] .kpi-value")).ToHaveTextAsync("1");
        await page.ScreenshotAsync("wall-alert");
        await alert.Locator("button").ClickAsync();

        await Expect(alert.Locator(".alert-action")).ToHaveTextAsync(AcknowledgedByDuty());
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Wall_ShowsAPredictedOvertimeWithThePredictedWaitAndCall()
    {
        var clock = new ManualTimeProvider(Morning);
        await using var host = new PageHost(clock);
        using var api = host.Api();
        await api.OpenAsync("09", "陈静");
        await api.IssueAsync("RE-TRANS");
        var second = await api.IssueAsync("RE-TRANS");
        await using var page = await browser.OpenAsync(host, "/wall/xinqu", 1920, 1080);
        await page.WaitUntilLiveAsync();

        // One window for RE-TRANS (30-minute services, wait target 30 minutes): the second number is likely called at
        // 30 minutes, at its target. The hall predicts every 30 s.
        clock.Advance(TimeSpan.FromSeconds(30));
        var alert = page.Page.Locator($".alert[data-alert='predicted-{second.TicketId}']");
        await Expect(alert).ToHaveAttributeAsync("data-level", "warning");
        await Expect(alert.Locator(".alert-title")).ToContainTextAsync($"预计超时 · {second.Number}");
        await Expect(alert).ToContainTextAsync("预计等候 30:30（时限 30:00）");
        await Expect(alert).ToContainTextAsync("约 10:00 叫号");
        await page.ScreenshotAsync("wall-predicted");
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Wall_KeepsAQueueExact_WhenItOutgrowsTheTicketsTheSnapshotLists()
    {
        var clock = new ManualTimeProvider(Morning);
        await using var host = new PageHost(clock);
        using var api = host.Api();
        for (var i = 0; i < 103; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            await api.IssueAsync("TAX-INV");
        }

        await api.OpenAsync("07", "孙磊");
        await using var page = await browser.OpenAsync(host, "/wall/xinqu", 1920, 1080);
        await page.WaitUntilLiveAsync();
        var row = page.Page.Locator(".queue-row[data-matter='TAX-INV']");
        await Expect(row.Locator(".queue-waiting")).ToHaveTextAsync("103");

        // The snapshot listed the 100 oldest: the page runs out of them on the 100th call and takes a fresh one.
        for (var i = 0; i < 101; i++)
        {
            await api.CallNextAsync("07");
            await api.ActAsync("07", "no-show");
        }

        await Expect(row.Locator(".queue-waiting")).ToHaveTextAsync("2");

        // The oldest left is the 102nd ticket, issued one minute before the last one.
        await Expect(row.Locator(".queue-oldest")).ToHaveTextAsync(OneMinuteAndSomeSeconds());
        Assert.Empty(page.Errors);
    }

    [GeneratedRegex("^1:0\\d$")]
    private static partial Regex OneMinuteAndSomeSeconds();

    [GeneratedRegex("^值班长 已确认 \\d{2}:\\d{2}$")]
    private static partial Regex AcknowledgedByDuty();
}
