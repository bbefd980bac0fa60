using HallMonitor.Grains;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HallMonitor.Browser.Tests;

/// <summary>
/// A hall whose configured names and a visitor's comment carry markup: a script in an image's onerror and a bold tag.
/// Window 01 serves a visitor of the markup matter after rating another; window 02 calls one.
/// </summary>
public sealed class MarkupHall : IAsyncLifetime
{
    public const string Id = "markup";

    /// <summary>Runs if it is ever parsed as HTML, and leaves a trace the test looks for.</summary>
    public const string Script = "<img src=x onerror=\"window.__pwned=1\">";

    public const string HallName = Script + "<b>粗体</b>大厅";

    public const string WindowName = "<b>粗体</b>1号窗口" + Script;

    public const string MatterName = Script + "<b>粗体</b>事项";

    public const string Category = "<b>粗体</b>类别";

    public const string Comment = Script + "<b>粗体</b>很好";

    public PageHost Host { get; } = new(new HallsFile
    {
        Halls =
        [
            new HallDefinition
            {
                Id = Id,
                Name = HallName,
                Matters =
                [
                    Matter("M-1", MatterName, Category, "A"),
                    Matter("M-2", "普通事项", "普通类别", "B"),
                ],
                Windows =
                [
                    new WindowDefinition { Id = "01", Name = WindowName, Kind = WindowKind.Comprehensive, Matters = ["*"] },
                    new WindowDefinition { Id = "02", Name = "2号窗口", Kind = WindowKind.Comprehensive, Matters = ["*"] },
                ],
            },
        ],
    });

    public string RatedTicketId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        using var api = Host.Api(Id);
        foreach (var matter in new[] { "M-1", "M-1", "M-1", "M-2" })
        {
            await api.IssueAsync(matter);
        }

        await api.OpenAsync("01", "wang");
        await api.OpenAsync("02", "li");
        RatedTicketId = (await api.CallNextAsync("01")).TicketId;
        await api.ActAsync("01", "start");
        await api.ActAsync("01", "complete");
        await api.RateAsync(RatedTicketId, 5, Comment);
        await api.CallNextAsync("01");
        await api.ActAsync("01", "start");
        await api.CallNextAsync("02");
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    private static MatterDefinition Matter(string code, string name, string category, string prefix) => new()
    {
        Code = code,
        Name = name,
        Category = category,
        Prefix = prefix,
        WaitTargetSeconds = 1800,
        HandleTargetSeconds = 1200,
    };
}

/// <summary>Every page shows configured and typed values as text: markup in them is never parsed, and the CSP holds.</summary>
public sealed class MarkupTests(BrowserFixture browser, MarkupHall hall) : IClassFixture<BrowserFixture>, IClassFixture<MarkupHall>
{
    public static TheoryData<string, string, bool, string, string> Pages => new()
    {
        { "index", "/", false, ".hall[data-hall='markup'] h2", MarkupHall.HallName },
        { "wall", "/wall/markup", true, ".tile[data-window='01'] .tile-name", "<b>粗体</b>1号窗口" },
        { "calling", "/calling/markup", true, "#hall-name", MarkupHall.HallName },
        { "clerk", "/clerk/markup/01", true, "#window-name", MarkupHall.WindowName },
        { "kiosk", "/kiosk/markup", true, ".matter[data-matter='M-1']", MarkupHall.MatterName },
        { "audit", "/audit/markup", false, "#hall-name", MarkupHall.HallName },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_ShowsNamesWithMarkupAsText_AndRunsNoneOfIt(string name, string path, bool live, string selector, string text)
    {
        await using var page = await browser.OpenAsync(hall.Host, path, 1920, 1080);
        if (live)
        {
            await page.WaitUntilLiveAsync();
        }

        await Expect(page.Page.Locator(selector)).ToContainTextAsync(text);

        // An injected image would fail to load and run its onerror within this time.
        await page.Page.WaitForTimeoutAsync(1100);
        await page.ScreenshotAsync($"markup-{name}");
        await AssertNothingInjectedAsync(page);
    }

    [Fact]
    public async Task Audit_ShowsTheRatingCommentWithMarkupAsText_AndItsChartTooltipsAddNoHtml()
    {
        await using var page = await browser.OpenAsync(hall.Host, "/audit/markup", 1920, 1080);
        var p = page.Page;
        await p.WaitForSelectorAsync("#report[data-state='ready'] #summary tbody tr", new() { State = WaitForSelectorState.Attached });

        // The busiest matters are a bar chart of matter names; its tooltip names the bar under the pointer.
        var chart = await p.Locator("#hot-chart").BoundingBoxAsync();
        await p.Mouse.MoveAsync(chart!.X + (chart.Width / 2), chart.Y + 20);
        await p.FillAsync("#ticket-id", hall.RatedTicketId);
        await p.ClickAsync("#ticket-form button[type=submit]");

        await Expect(p.Locator("#history tbody tr[data-type='ticketRated']")).ToContainTextAsync(MarkupHall.Comment);
        await p.WaitForTimeoutAsync(1100);
        await page.ScreenshotAsync("markup-audit-ticket");
        await AssertNothingInjectedAsync(page);
    }

    private static async Task AssertNothingInjectedAsync(OpenPage page)
    {
        var injected = await page.Page.EvaluateAsync<string[]>("""
            [
              window.__pwned !== undefined ? 'window.__pwned is set' : null,
              document.querySelector('img[src="x"]') ? 'an img[src=x] exists' : null,
              [...document.querySelectorAll('b')].some(b => b.textContent === '粗体') ? 'a <b>粗体</b> element exists' : null,
            ].filter(Boolean)
            """);
        Assert.Empty(injected);

        // A Content-Security-Policy violation is reported as a console error.
        Assert.Empty(page.Errors);
    }
}
