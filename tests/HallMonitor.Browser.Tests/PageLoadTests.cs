namespace HallMonitor.Browser.Tests;

/// <summary>A hall in mid-morning: tickets in several queues, windows calling, serving, idle, paused.</summary>
public sealed class BusyHall : IAsyncLifetime
{
    public PageHost Host { get; } = new();

    public async Task InitializeAsync()
    {
        using var api = Host.Api();
        foreach (var matter in new[] { "BIZ-REG", "BIZ-REG", "TAX-INV", "TAX-INV", "TAX-INV", "RE-TRANS", "HH-ID", "EXIT-PASS", "SS-CARD", "HPF-WITHDRAW", "CONSULT" })
        {
            await api.IssueAsync(matter);
        }

        await api.IssueAsync("BIZ-REG", priority: true);
        foreach (var (window, clerk) in new[] { ("01", "王芳"), ("02", "李明"), ("05", "张伟"), ("07", "刘洋"), ("09", "陈静") })
        {
            await api.OpenAsync(window, clerk);
        }

        await api.CallNextAsync("01");
        await api.CallNextAsync("05");
        await api.ActAsync("05", "start");
        await api.CallNextAsync("07");
        await api.ActAsync("07", "start");
        await api.ActAsync("07", "complete");
        await api.CallNextAsync("07");
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>Every page opens cleanly on a busy hall, and fits its screen: the big screens and the kiosk never scroll.</summary>
public sealed class PageLoadTests(BrowserFixture browser, BusyHall hall) : IClassFixture<BrowserFixture>, IClassFixture<BusyHall>
{
    public static TheoryData<string, string, string, int, int, bool> Pages => new()
    {
        { "index", "/", ".hall[data-hall='ganjingzi']", 1440, 900, false },
        { "wall", "/wall/xinqu", ".tile[data-window='16']", 1920, 1080, true },
        { "wall-ganjingzi", "/wall/ganjingzi", ".tile[data-window='06']", 1920, 1080, true },
        { "calling", "/calling/xinqu", ".recent-item", 1920, 1080, true },
        { "clerk", "/clerk/xinqu/05", "#ticket[data-state='serving']", 1280, 800, true },
        { "clerk-closed", "/clerk/xinqu/03", "#open-form:not([hidden])", 1280, 800, true },
        { "kiosk", "/kiosk/xinqu", ".matter[data-matter='BIZ-REG']", 1280, 800, true },
        { "audit-busy", "/audit/xinqu?groupBy=window", "#report[data-state='ready'] #summary tbody tr", 1920, 1080, false },
        { "audit-1366", "/audit/xinqu", "#report[data-state='ready'] #summary tbody tr", 1366, 768, false },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_LoadsWithoutErrorsAndFitsItsScreen(string name, string path, string content, int width, int height, bool fitsHeight)
    {
        await using var page = await browser.OpenAsync(hall.Host, path, width, height);

        await page.Page.WaitForSelectorAsync(content, new() { State = Microsoft.Playwright.WaitForSelectorState.Attached });

        // Let the page's one-second tick run at least once, so that its errors would show too.
        await page.Page.WaitForTimeoutAsync(1100);
        var size = await page.Page.EvaluateAsync<int[]>("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]");
        await page.ScreenshotAsync(name);
        Assert.Equal(200, page.Status);
        Assert.Empty(page.Errors);
        Assert.Equal(width, size[0]);
        if (fitsHeight)
        {
            Assert.Equal(height, size[1]);
        }
    }

    [Theory]
    [InlineData("/wall/nowhere")]
    [InlineData("/clerk/xinqu/99")]
    [InlineData("/audit/nowhere")]
    public async Task UnknownHallOrWindow_AnswersTheFriendlyNotFoundPage(string path)
    {
        await using var page = await browser.OpenAsync(hall.Host, path, 1280, 800);

        await Microsoft.Playwright.Assertions.Expect(page.Page.Locator("h1")).ToHaveTextAsync("您访问的页面不存在");
        await page.ScreenshotAsync("not-found");
        Assert.Equal(404, page.Status);

        // The browser reports the document's own 404 status; nothing else may go wrong.
        Assert.All(page.Errors, error => Assert.Contains("status of 404", error, StringComparison.Ordinal));
        Assert.Single(page.Errors);
    }
}
