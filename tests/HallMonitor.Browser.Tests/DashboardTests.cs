using HallMonitor.Silo;
using static Microsoft.Playwright.Assertions;

namespace HallMonitor.Browser.Tests;

/// <summary>The Orleans Dashboard, when enabled, renders under its Content-Security-Policy.</summary>
public sealed class DashboardTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Dashboard_RendersWithoutPolicyViolations()
    {
        await using var host = new PageHost { Settings = new Dictionary<string, string> { [DashboardHostingExtensions.Key] = "true" } };
        await using var page = await browser.OpenAsync(host, "/dashboard/", 1440, 900);

        await Expect(page.Page.Locator("#content")).ToContainTextAsync("ManagementGrain", new() { Timeout = 15_000 });
        await page.Page.WaitForTimeoutAsync(1100);
        await page.ScreenshotAsync("dashboard");
        Assert.Equal(200, page.Status);
        Assert.Empty(page.Errors);
    }
}
