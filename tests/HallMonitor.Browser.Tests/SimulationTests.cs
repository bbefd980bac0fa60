using static Microsoft.Playwright.Assertions;

namespace HallMonitor.Browser.Tests;

public sealed class SimulationTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Simulating_EveryPageShowsTheBadge_AndTheWallComesAlive()
    {
        // The product's own simulator on a real socket: it finds the listening address itself.
        await using var host = new PageHost { Settings = new Dictionary<string, string> { ["HallMonitor:Simulate"] = "600" } };

        foreach (var path in new[] { "/calling/xinqu", "/kiosk/xinqu", "/clerk/xinqu/05", "/audit/xinqu" })
        {
            await using var page = await browser.OpenAsync(host, path, 1920, 1080);
            await Expect(page.Page.Locator(".sim-badge")).ToHaveTextAsync("模拟 ×600 / Simulated ×600");
            Assert.Empty(page.Errors);
        }

        await using var wall = await browser.OpenAsync(host, "/wall/xinqu", 1920, 1080);
        await Expect(wall.Page.Locator(".sim-badge")).ToHaveTextAsync("模拟 ×600 / Simulated ×600");
        await Expect(wall.Page.Locator(".tile[data-state='serving']").First).ToBeVisibleAsync();
        await wall.ScreenshotAsync("wall-simulated");
        Assert.Empty(wall.Errors);
    }
}
