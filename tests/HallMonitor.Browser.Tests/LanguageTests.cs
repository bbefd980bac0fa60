using static Microsoft.Playwright.Assertions;

namespace HallMonitor.Browser.Tests;

public sealed class LanguageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task LanguageSwitch_ShowsEnglish_AndIsRemembered()
    {
        await using var host = new PageHost();
        await using var page = await browser.OpenAsync(host, "/wall/xinqu", 1920, 1080);
        await page.WaitUntilLiveAsync();
        var p = page.Page;
        await Expect(p.Locator(".windows-panel h2")).ToHaveTextAsync("窗口状态");

        await p.ClickAsync("#lang");

        await Expect(p.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(p.Locator(".windows-panel h2")).ToHaveTextAsync("Windows");
        await Expect(p.Locator(".kpi[data-kpi='issued'] .kpi-label")).ToHaveTextAsync("Tickets today");
        await Expect(p.Locator(".tile[data-window='01'] .tile-state")).ToHaveTextAsync("Closed");
        await Expect(p.Locator("#lang")).ToHaveTextAsync("中文");
        await page.ScreenshotAsync("wall-en");

        await p.ReloadAsync();
        await page.WaitUntilLiveAsync();
        await Expect(p.Locator(".windows-panel h2")).ToHaveTextAsync("Windows");
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Kiosk_InEnglish_NamesTheSectorAndMatters()
    {
        await using var host = new PageHost();
        await using var page = await browser.OpenAsync(host, "/kiosk/xinqu?lang=en", 1280, 800);
        await page.WaitUntilLiveAsync();

        await Expect(page.Page.Locator("#category-title")).ToHaveTextAsync("商事登记 · choose your matter");
        await Expect(page.Page.Locator(".priority-toggle strong")).ToHaveTextAsync("Priority service");
        await page.ScreenshotAsync("kiosk-en");
        Assert.Empty(page.Errors);
    }
}
