using System.Text.RegularExpressions;
using HallMonitor.Grains;
using HallMonitor.Testing;
using static Microsoft.Playwright.Assertions;

namespace HallMonitor.Browser.Tests;

public sealed partial class ClerkConsoleTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly DateTimeOffset Morning = new(2026, 11, 23, 1, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task ClerkConsole_OpenCallStartComplete_ByClicking()
    {
        await using var host = new PageHost();
        using var api = host.Api();
        var first = await api.IssueAsync("BIZ-REG");
        await api.IssueAsync("BIZ-CHG");
        await using var page = await browser.OpenAsync(host, "/clerk/xinqu/05", 1280, 800);
        await page.WaitUntilLiveAsync();
        var p = page.Page;

        await p.FillAsync("#clerk-input", "王芳");
        await p.ClickAsync("#open-form button[type=submit]");
        await Expect(p.Locator("#state-badge")).ToHaveTextAsync("空闲");
        await Expect(p.Locator("[data-action='start']")).ToBeDisabledAsync();
        await p.ClickAsync("[data-action='call-next']");
        await Expect(p.Locator("#ticket-number")).ToHaveTextAsync(first.Number);
        await Expect(p.Locator("[data-action='call-next']")).ToBeDisabledAsync();
        await p.ClickAsync("[data-action='start']");
        await Expect(p.Locator("#ticket-caption")).ToHaveTextAsync("正在办理");
        await page.ScreenshotAsync("clerk-serving");
        await p.ClickAsync("[data-action='complete']");
        await Expect(p.Locator("#served")).ToHaveTextAsync("今日办结 1 件");

        var ticket = await api.TicketAsync(first.TicketId);
        var window = await api.WindowAsync("05");
        Assert.Equal(TicketState.Completed, ticket.State);
        Assert.Equal("王芳", ticket.Clerk);
        Assert.Equal(WindowState.Idle, window.State);
        await Expect(p.Locator("[data-action='call-next']")).ToBeEnabledAsync();
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task ClerkConsole_TransfersTheVisitorToAnotherMatter()
    {
        await using var host = new PageHost();
        using var api = host.Api();
        var first = await api.IssueAsync("BIZ-REG");
        await api.OpenAsync("01", "王芳");
        await api.CallNextAsync("01");
        await api.ActAsync("01", "start");
        await using var page = await browser.OpenAsync(host, "/clerk/xinqu/01", 1280, 800);
        await page.WaitUntilLiveAsync();
        var p = page.Page;

        await p.ClickAsync("[data-action='transfer']");
        await p.SelectOptionAsync("#transfer-matter", "TAX-INV");
        await p.ClickAsync("#transfer-form button[type=submit]");

        await Expect(p.Locator(".toast.ok")).ToHaveTextAsync("已转办：新号码 B001（发票领用），优先排队");
        await Expect(p.Locator("#state-badge")).ToHaveTextAsync("空闲");
        await Expect(p.Locator("#transfer-form")).ToBeHiddenAsync();
        await Expect(p.Locator("#queue-list li[data-matter='TAX-INV'] .waiting")).ToHaveTextAsync("1");
        Assert.Equal(TicketState.Transferred, (await api.TicketAsync(first.TicketId)).State);
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task ClerkConsole_ShowsTheOvertimeBanner_WhenTheClockPassesTheWarningMoment()
    {
        var clock = new ManualTimeProvider(Morning);
        await using var host = new PageHost(clock);
        using var api = host.Api();
        var ticket = await api.IssueAsync("BIZ-REG");
        await api.OpenAsync("05", "王芳");
        await api.CallNextAsync("05");
        await api.ActAsync("05", "start");
        await using var page = await browser.OpenAsync(host, "/clerk/xinqu/05", 1280, 800);
        await page.WaitUntilLiveAsync();
        var banner = page.Page.Locator("#alert-banner");
        await Expect(banner).ToBeHiddenAsync();

        // BIZ-REG's service target is 1200 s; the warning is due at 0.8 of it, 960 s into the service.
        clock.Advance(TimeSpan.FromSeconds(959));
        await Expect(banner).ToBeHiddenAsync();
        clock.Advance(TimeSpan.FromSeconds(1));

        await Expect(banner).ToBeVisibleAsync();
        await Expect(banner).ToHaveAttributeAsync("data-level", "warning");
        await Expect(page.Page.Locator("#t-elapsed")).ToHaveTextAsync(ServiceTimeAtTheWarning());
        await Expect(banner.Locator($"li[data-alert='handle-{ticket.TicketId}']")).ToContainTextAsync($"{ticket.Number}（企业设立登记）已办理");
        await page.ScreenshotAsync("clerk-overtime");
        await banner.Locator("li button").ClickAsync();
        await Expect(banner.Locator("li")).ToContainTextAsync("王芳 已确认");
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task ClerkConsole_ShowsTheReasonTheApiGivesForARefusal()
    {
        await using var host = new PageHost();
        await using var page = await browser.OpenAsync(host, "/clerk/xinqu/05", 1280, 800);
        await page.WaitUntilLiveAsync();

        await page.Page.FillAsync("#clerk-input", "王 芳");
        await page.Page.ClickAsync("#open-form button[type=submit]");

        var toast = page.Page.Locator(".toast.error");
        await Expect(toast).ToContainTextAsync("提交的内容有误");
        await Expect(toast).ToContainTextAsync("clerk must be 1–32 letters, digits, '.', '_' or '-'.");
        await Expect(page.Page.Locator("#open-form")).ToBeVisibleAsync();
    }

    /// <summary>The timer follows the hall's clock: 16:00 into the service, and the seconds it has ticked since.</summary>
    [GeneratedRegex("^16:0\\d$")]
    private static partial Regex ServiceTimeAtTheWarning();
}
