using HallMonitor.Grains;
using HallMonitor.Testing;
using static Microsoft.Playwright.Assertions;

namespace HallMonitor.Browser.Tests;

/// <summary>The staffing advice (人员建议) on the wall and on the audit page.</summary>
public sealed class StaffingTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>09:30 on Monday 23 November 2026 in Shanghai.</summary>
    private static readonly DateTimeOffset Morning = new(2026, 11, 23, 1, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Wall_ShowsWindowsNeededPerSector_RedWhereFewerAreOpen()
    {
        await using var host = new PageHost(new ManualTimeProvider(Morning));
        using var api = host.Api();
        for (var i = 0; i < 12; i++)
        {
            await api.IssueAsync("TAX-INV");
        }

        await api.OpenAsync("07", "赵敏");
        await using var page = await browser.OpenAsync(host, "/wall/xinqu", 1920, 1080);
        await page.WaitUntilLiveAsync();

        // Twelve tickets in the half hour since 09:00: 24 an hour, ten minutes each, the sector's strictest target 15 minutes.
        var needed = ErlangC.WindowsNeeded(24, 600, 900, 0.9);
        var tax = page.Page.Locator(".staffing-table tr[data-sector='办税服务']");
        await Expect(page.Page.Locator("#staffing-panel")).ToBeVisibleAsync();
        await Expect(tax.Locator(".staffing-open")).ToHaveTextAsync("1");
        await Expect(tax.Locator(".staffing-need").First).ToHaveTextAsync(needed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(tax.Locator(".staffing-need").First).ToHaveAttributeAsync("data-level", "short");
        await Expect(tax.Locator(".staffing-need")).ToHaveCountAsync(4);
        await Expect(page.Page.Locator(".staffing-table th").Nth(2)).ToHaveTextAsync("09时");
        await Expect(page.Page.Locator("#staffing-note")).ToContainTextAsync("依据今日至今");
        var whole = page.Page.Locator(".staffing-table tr[data-total]");
        await Expect(whole.Locator("td").First).ToHaveTextAsync("全厅");
        await Expect(whole.Locator(".staffing-need").First).ToHaveAttributeAsync("data-level", "short");
        await Expect(page.Page.Locator("#staffing-more")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^另有 [1-9] 个板块$"));
        await page.ScreenshotAsync("wall-staffing");
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Wall_ShowsTheWholeHallBetweenSharedAndSeparateLines_YellowInBetween()
    {
        await using var host = new PageHost(new ManualTimeProvider(Morning));
        using var api = host.Api();
        foreach (var matter in (string[])["TAX-INV", "TAX-INV", "RE-TRANS", "RE-TRANS"])
        {
            await api.IssueAsync(matter);
        }

        foreach (var window in (string[])["01", "02", "03", "04", "05"])
        {
            await api.OpenAsync(window, $"sim{window}");
        }

        await using var page = await browser.OpenAsync(host, "/wall/xinqu", 1920, 1080);
        await page.WaitUntilLiveAsync();

        // Four an hour each: 办税服务 (10 minutes) needs 2, 不动产登记 (30 minutes) 4, both under a 15-minute target; the
        // whole hall on one line, eight an hour of 20 minutes on average, needs 5; five windows are open.
        var (tax, estate, pooled) = (ErlangC.WindowsNeeded(4, 600, 900, 0.9), ErlangC.WindowsNeeded(4, 1800, 900, 0.9), ErlangC.WindowsNeeded(8, 1200, 900, 0.9));
        Assert.Equal((2, 4, 5), (tax, estate, pooled));
        var whole = page.Page.Locator(".staffing-table tr[data-total] .staffing-need").First;
        await Expect(whole).ToHaveTextAsync("5–6");
        await Expect(whole).ToHaveAttributeAsync("data-level", "tight");
        await Expect(page.Page.Locator(".staffing-table tr[data-sector='不动产登记'] .staffing-need").First).ToHaveAttributeAsync("data-level", "ok");
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Audit_ListsStaffingPerSectorAndMatter_ForTheHoursChosen()
    {
        await using var host = new PageHost(new ManualTimeProvider(Morning));
        using var api = host.Api();
        for (var i = 0; i < 6; i++)
        {
            await api.IssueAsync("RE-TRANS");
        }

        await api.OpenAsync("09", "孙丽");
        await using var page = await browser.OpenAsync(host, "/audit/xinqu", 1920, 1080);

        // Six tickets in the half hour since 09:00: 12 an hour, 30 minutes each; the sector's strictest target is RE-QUERY's 15 minutes.
        var sector = page.Page.Locator("#staffing-sectors tr[data-sector='不动产登记']");
        await Expect(sector.Locator(".staffing-need")).ToHaveCountAsync(4);
        await Expect(sector.Locator(".staffing-need").First).ToContainTextAsync(ErlangC.WindowsNeeded(12, 1800, 900, 0.9).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(sector.Locator(".staffing-need").First).ToHaveAttributeAsync("data-level", "short");
        var matter = page.Page.Locator("#staffing-matters tr[data-matter='RE-TRANS']");
        await Expect(matter.Locator("td").First).ToHaveTextAsync("6");
        await Expect(page.Page.Locator("#staffing-matters tbody tr")).ToHaveCountAsync(24);

        await page.Page.GetByRole(Microsoft.Playwright.AriaRole.Radio, new() { Name = "12 小时" }).ClickAsync();

        await Expect(sector.Locator(".staffing-need")).ToHaveCountAsync(12);
        await page.Page.Locator("#staffing-panel").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "audit-staffing.png") });
        Assert.Empty(page.Errors);
    }
}
