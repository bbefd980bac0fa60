using System.Text.Json;
using HallMonitor.Testing;
using static Microsoft.Playwright.Assertions;

namespace HallMonitor.Browser.Tests;

/// <summary>
/// Cases (办件) on the pages: the clerk console hands over the case number and lookup code, a visitor follows the
/// case on /progress with them, and the wall shows a case's card when its deadline nears.
/// </summary>
public sealed class CaseTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>Monday 2026-11-23, 09:30 in Shanghai; BIZ-REG promises 1 working day, so its case is due Tuesday 24:00.</summary>
    private static readonly DateTimeOffset Morning = new(2026, 11, 23, 1, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task ClerkConsole_HandsOverTheCaseNumberAndLookupCode_WhenAServiceOpensACase()
    {
        await using var host = new PageHost();
        using var api = host.Api();
        await api.IssueAsync("BIZ-REG");
        await api.OpenAsync("01", "王芳");
        await api.CallNextAsync("01");
        var ticket = await api.ActAsync("01", "start");
        await using var page = await browser.OpenAsync(host, "/clerk/xinqu/01", 1280, 800);
        await page.WaitUntilLiveAsync();

        await page.Page.ClickAsync("[data-action='complete']");

        var handover = page.Page.Locator("#case-handover");
        await Expect(handover).ToBeVisibleAsync();
        var opened = await api.GetAsync<JsonElement>($"cases/{ticket.TicketId}");
        await Expect(handover.Locator("#case-id")).ToHaveTextAsync(opened.GetProperty("caseId").GetString()!);
        await Expect(handover.Locator("#case-code")).ToHaveTextAsync(opened.GetProperty("lookupCode").GetString()!);
        await Expect(handover.Locator("#case-due")).ToHaveTextAsync(DueText(opened));
        await page.ScreenshotAsync("case-clerk-handover");

        // The window's open cases, each with the steps that may come next.
        var row = page.Page.Locator($"#case-list li[data-case='{ticket.TicketId}']");
        await row.Locator("button[data-step='review']").ClickAsync();
        await Expect(row).ToContainTextAsync("审查中");
        await row.Locator("button[data-step='decide']").ClickAsync();
        await Expect(row.Locator("button[data-step='deliver']")).ToBeVisibleAsync();
        await row.Locator("button[data-step='deliver']").ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        var delivered = await api.GetAsync<JsonElement>($"cases/{ticket.TicketId}");
        Assert.Equal(["accepted", "review", "decide", "deliver"], delivered.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()));
        Assert.Equal("王芳", delivered.GetProperty("steps")[1].GetProperty("by").GetString());
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Progress_ShowsAVisitorTheirCaseWithTheRightCode_NoNames_AndNotFoundWithAWrongOne()
    {
        await using var host = new PageHost();
        using var api = host.Api();
        var (caseId, code) = await OpenCaseAsync(api, "李秀英");
        await api.PostAsync($"cases/{caseId}/steps", new { step = "review", note = "材料齐全，内部备注" });
        await using var page = await browser.OpenAsync(host, "/progress/xinqu", 1000, 800);
        var p = page.Page;

        await p.FillAsync("#case-id", caseId);
        await p.FillAsync("#code", code == "000000" ? "000001" : "000000");
        await p.ClickAsync("#search");
        await Expect(p.Locator("#message")).ToContainTextAsync("未查到该办件");
        await Expect(p.Locator("#result")).ToBeHiddenAsync();

        await p.FillAsync("#code", code);
        await p.ClickAsync("#search");
        await Expect(p.Locator("#matter")).ToHaveTextAsync("企业设立登记");
        await Expect(p.Locator("#state")).ToHaveTextAsync("审查中");
        await Expect(p.Locator("#steps li")).ToHaveCountAsync(2);
        await Expect(p.Locator("#promised")).ToContainTextAsync("24:00");
        await Expect(p.Locator("#message")).ToBeHiddenAsync();
        var text = await p.InnerTextAsync("body");
        Assert.DoesNotContain("李秀英", text, StringComparison.Ordinal);
        Assert.DoesNotContain("内部备注", text, StringComparison.Ordinal);
        await page.ScreenshotAsync("case-progress");
        Assert.DoesNotContain(page.Errors, e => !e.Contains("404", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Wall_ShowsTheCaseCard_YellowOnTheLastWorkingDay_ThenRed()
    {
        var clock = new ManualTimeProvider(Morning);
        await using var host = new PageHost(clock);
        using var api = host.Api();
        var (caseId, _) = await OpenCaseAsync(api, "王芳");
        await using var page = await browser.OpenAsync(host, "/wall/xinqu", 1920, 1080);
        await page.WaitUntilLiveAsync();
        var card = page.Page.Locator($".alert[data-alert='case-{caseId}']");
        await Expect(card).ToHaveCountAsync(0);

        // Tuesday 00:30: less than one working day is left before Tuesday 24:00.
        clock.Advance(TimeSpan.FromHours(15));
        await Expect(card).ToHaveAttributeAsync("data-level", "warning");
        await Expect(card.Locator(".alert-title")).ToContainTextAsync("办件临近时限");
        await Expect(card).ToContainTextAsync("2026-11-24 24:00");
        await page.ScreenshotAsync("case-wall-yellow");

        // Wednesday 00:30: the promised deadline has passed.
        clock.Advance(TimeSpan.FromHours(24));
        await Expect(card).ToHaveAttributeAsync("data-level", "overtime");
        await Expect(card.Locator(".alert-title")).ToContainTextAsync("办件超承诺时限");
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Audit_ListsABadReviewsFollowUp_AndASupervisorClosesItWithANote()
    {
        await using var host = new PageHost();
        using var api = host.Api();
        await api.IssueAsync("TAX-INV");
        await api.OpenAsync("07", "孙磊");
        var ticket = await api.CallNextAsync("07");
        await api.ActAsync("07", "start");
        await api.ActAsync("07", "complete");
        await api.RateAsync(ticket.TicketId, 1, "等太久了");
        await using var page = await browser.OpenAsync(host, "/audit/xinqu", 1920, 1080);
        var followUp = page.Page.Locator($".followup[data-followup='{ticket.TicketId}']");

        await Expect(followUp).ToContainTextAsync("等太久了");
        await Expect(followUp).ToContainTextAsync("评价 1 分");
        await followUp.Locator("input").FillAsync("已电话回访，调整叫号安排");
        await page.ScreenshotAsync("case-audit-followup");
        await followUp.Locator("button").ClickAsync();

        await Expect(followUp).ToHaveCountAsync(0);
        await Expect(page.Page.Locator("#followups-empty")).ToBeVisibleAsync();
        var closed = await api.GetAsync<JsonElement[]>("followups?state=all");
        Assert.Equal(("closed", "已电话回访，调整叫号安排"), closed.Select(f => (f.GetProperty("state").GetString(), f.GetProperty("note").GetString())).Single());
        Assert.Empty(page.Errors);
    }

    private static string DueText(JsonElement opened)
    {
        var due = opened.GetProperty("promisedDue").GetDateTimeOffset();
        return $"{due.AddDays(-1):yyyy-MM-dd} 24:00";
    }

    /// <summary>Serves a BIZ-REG visitor at window 01 by <paramref name="clerk"/>: the completion opens a case.</summary>
    private static async Task<(string CaseId, string Code)> OpenCaseAsync(HallApi api, string clerk)
    {
        await api.IssueAsync("BIZ-REG");
        await api.OpenAsync("01", clerk);
        await api.CallNextAsync("01");
        await api.ActAsync("01", "start");
        var completed = await api.ActAsync("01", "complete");
        return (completed.CaseId!, completed.LookupCode!);
    }
}
