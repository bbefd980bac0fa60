using System.Text.Json;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace HallMonitor.Browser.Tests;

public sealed class KioskTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Kiosk_IssuesATicketByClicking_AndShowsNumberAheadAndEstimate()
    {
        await using var host = new PageHost();
        using var api = host.Api();
        await api.IssueAsync("RE-TRANS");
        await api.IssueAsync("RE-TRANS");
        await using var page = await browser.OpenAsync(host, "/kiosk/xinqu", 1280, 800);
        await page.WaitUntilLiveAsync();
        var p = page.Page;

        await p.ClickAsync(".category[data-category='不动产登记']");
        await Expect(p.Locator(".matter[data-matter='RE-TRANS'] .matter-waiting")).ToHaveTextAsync("等候 2 人");
        var response = await p.RunAndWaitForResponseAsync(
            () => p.ClickAsync(".matter[data-matter='RE-TRANS']"),
            r => r.Request.Method == "POST" && r.Url.EndsWith("/tickets", StringComparison.Ordinal));
        var ticket = (await response.JsonAsync())!.Value;

        // Two ahead; no service yet, so RE-TRANS's 1800 s target shared by the six windows configured for it.
        Assert.Equal("C003", ticket.GetProperty("number").GetString());
        Assert.Equal(2, ticket.GetProperty("ahead").GetInt32());
        Assert.Equal(600, ticket.GetProperty("estimatedWaitSeconds").GetDouble());
        await Expect(p.Locator("#result-number")).ToHaveTextAsync("C003");
        await Expect(p.Locator("#result-matter")).ToHaveTextAsync("不动产转移登记");
        await Expect(p.Locator("#result-ahead")).ToHaveTextAsync("2 人");
        await Expect(p.Locator("#result-estimate")).ToHaveTextAsync("约 10 分钟");
        await page.ScreenshotAsync("kiosk-ticket");

        await p.ClickAsync("#done");
        await Expect(p.Locator("#result")).ToBeHiddenAsync();
        await Expect(p.Locator(".category[aria-pressed='true']")).ToHaveTextAsync(new Regex("^商事登记"));
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Kiosk_PriorityChoice_PutsTheVisitorFirst()
    {
        await using var host = new PageHost();
        using var api = host.Api();
        await api.IssueAsync("BIZ-REG");
        await using var page = await browser.OpenAsync(host, "/kiosk/xinqu", 1280, 800);
        await page.WaitUntilLiveAsync();
        var p = page.Page;

        await p.ClickAsync("#priority");
        var response = await p.RunAndWaitForResponseAsync(
            () => p.ClickAsync(".matter[data-matter='BIZ-REG']"),
            r => r.Request.Method == "POST" && r.Url.EndsWith("/tickets", StringComparison.Ordinal));
        var ticket = (await response.JsonAsync())!.Value;

        Assert.True(ticket.GetProperty("priority").GetBoolean());
        Assert.Equal(JsonValueKind.Number, ticket.GetProperty("ahead").ValueKind);
        Assert.Equal(0, ticket.GetProperty("ahead").GetInt32());
        await Expect(p.Locator("#result-matter")).ToHaveTextAsync("企业设立登记优先");
        await Expect(p.Locator("#result-estimate")).ToHaveTextAsync("即将叫号");
        await p.ClickAsync("#done");
        await Expect(p.Locator("#priority")).ToHaveAttributeAsync("aria-pressed", "false");
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Kiosk_WhoseAnswerWasLost_AsksAgainWithTheSameKey_AndShowsTheOneTicketTaken()
    {
        await using var host = new PageHost();
        using var api = host.Api();
        await using var page = await browser.OpenAsync(host, "/kiosk/xinqu", 1280, 800);
        await page.WaitUntilLiveAsync();
        var p = page.Page;

        // The first request reaches the server and takes a number, but the kiosk hears a 503 (the hall moving to
        // another server): it must ask again with the same key, not take a second number.
        var keys = new List<string?>();
        await p.RouteAsync("**/api/halls/xinqu/tickets", async route =>
        {
            keys.Add(await route.Request.HeaderValueAsync("idempotency-key"));
            var answer = await route.FetchAsync();
            if (keys.Count == 1)
            {
                await route.FulfillAsync(new()
                {
                    Status = 503,
                    ContentType = "application/problem+json",
                    Headers = new Dictionary<string, string> { ["Retry-After"] = "5" },
                    Body = """{"status":503,"detail":"The hall's silo stopped answering. The request may or may not have taken effect; check before retrying."}""",
                });
                return;
            }

            await route.FulfillAsync(new() { Response = answer });
        });

        await p.ClickAsync(".matter[data-matter='BIZ-REG']");

        await Expect(p.Locator("#result-number")).ToHaveTextAsync("A001", new() { Timeout = 10_000 });
        Assert.Equal(2, keys.Count);
        Assert.Matches("^[0-9a-f]{32}$", keys[0]);
        Assert.Equal(keys[0], keys[1]);
        var snapshot = await api.GetAsync<HallMonitor.Grains.HallSnapshot>("snapshot");
        Assert.Equal(1, snapshot.Kpis.Issued);
    }
}
