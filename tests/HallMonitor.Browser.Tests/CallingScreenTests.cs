using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace HallMonitor.Browser.Tests;

public sealed partial class CallingScreenTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task CallingScreen_ShowsTheCallSentence_AndTheRecall()
    {
        await using var host = new PageHost();
        using var api = host.Api();
        await api.IssueAsync("EXIT-PASS");
        await api.OpenAsync("12", "赵敏");
        await using var page = await browser.OpenAsync(host, "/calling/xinqu", 1920, 1080);
        await page.WaitUntilLiveAsync();

        await api.CallNextAsync("12");
        await Expect(page.Page.Locator("#current-call")).ToHaveTextAsync(CallSentence());
        await Expect(page.Page.Locator(".recent-item").First).ToContainTextAsync("12号窗口");
        await api.ActAsync("12", "recall");
        await Expect(page.Page.Locator("#current-matter")).ToHaveTextAsync("普通护照办理第 2 次呼叫");

        await page.ScreenshotAsync("calling-recalled");
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task CallingScreen_OffersToEnableSound_UntilItIsEnabled()
    {
        await using var host = new PageHost();
        await using var page = await browser.OpenAsync(host, "/calling/xinqu", 1920, 1080);
        await page.WaitUntilLiveAsync();
        var button = page.Page.Locator("#sound");
        await Expect(button).ToBeVisibleAsync();

        await button.ClickAsync();

        // The button goes only once the browser's audio actually runs.
        await Expect(button).ToBeHiddenAsync();
        Assert.Empty(page.Errors);
    }

    [GeneratedRegex(@"^请\s*E001\s*号\s*到\s*12\s*号窗口办理$")]
    private static partial Regex CallSentence();
}
