using System.Globalization;
using System.Text.Json;
using HallMonitor.Grains;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HallMonitor.Browser.Tests;

/// <summary>The auditor's page over a working week driven through the API: every figure is the API's.</summary>
public sealed class AuditTests(BrowserFixture browser, AuditWeek week) : IClassFixture<BrowserFixture>, IClassFixture<AuditWeek>
{
    private const string Week = "from=2026-11-16&to=2026-11-20";

    [Fact]
    public async Task Table_ShowsTheSummaryApiFigures_AndRegroupsWhenTheGroupingChanges()
    {
        using var api = week.Host.Api();
        await using var page = await OpenReadyAsync($"/audit/xinqu?{Week}&groupBy=matter");
        var p = page.Page;
        var byMatter = await api.GetAsync<SummaryReport>($"reports/summary?{Week}&groupBy=matter");

        await AssertTableShowsAsync(p, byMatter);
        var busiest = byMatter.Rows.MaxBy(r => r.Issued)!;
        var row = p.Locator($"#summary tbody tr[data-key='{busiest.Key}']");
        await Expect(row.Locator("th")).ToContainTextAsync(busiest.Label!);
        await Expect(row.Locator("[data-field='avgWaitSeconds']")).ToHaveTextAsync(Duration(busiest.AvgWaitSeconds));
        await Expect(row.Locator("[data-field='p90HandleSeconds']")).ToHaveTextAsync(Duration(busiest.P90HandleSeconds));
        await Expect(row.Locator("[data-field='satisfactionRate']")).ToHaveTextAsync(Percent(busiest.SatisfactionRate));
        await Expect(row.Locator("[data-field='noShowRate']")).ToHaveTextAsync(Percent(busiest.NoShowRate));
        await Expect(p.Locator("#summary tfoot [data-field='issued']")).ToHaveTextAsync(byMatter.Rows.Sum(r => r.Issued).ToString(CultureInfo.InvariantCulture));
        await page.ScreenshotAsync("audit");
        await p.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "audit-full.png"), FullPage = true });

        await p.ClickAsync("#group-by [data-group='window']");

        var byWindow = await api.GetAsync<SummaryReport>($"reports/summary?{Week}&groupBy=window");
        await Expect(p.Locator("#summary")).ToHaveAttributeAsync("data-group", "window");
        await AssertTableShowsAsync(p, byWindow);
        Assert.NotEqual(byMatter.Rows.Select(r => r.Key), byWindow.Rows.Select(r => r.Key));
        Assert.EndsWith($"?{Week}&groupBy=window", p.Url, StringComparison.Ordinal);

        await p.ClickAsync("#summary thead th[data-field='avgHandleSeconds'] button");
        var slowest = byWindow.Rows.Where(r => r.AvgHandleSeconds is not null).MaxBy(r => r.AvgHandleSeconds)!;
        await Expect(p.Locator("#summary tbody tr").First).ToHaveAttributeAsync("data-key", slowest.Key);

        await p.ClickAsync("#lang");
        await Expect(p.Locator("#summary thead th[data-field='issued']")).ToHaveTextAsync("Issued");
        await Expect(p.Locator("#group-by [aria-checked='true']")).ToHaveTextAsync("Window");
        await Expect(p.Locator("#summary tbody tr").First).ToHaveAttributeAsync("data-key", slowest.Key);
        await page.ScreenshotAsync("audit-en");
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task CsvLink_DownloadsExactlyWhatIsShown_WithAByteOrderMark()
    {
        using var api = week.Host.Api();
        await using var page = await OpenReadyAsync($"/audit/xinqu?{Week}&groupBy=clerk");
        var shown = await page.Page.Locator("#summary tbody tr").CountAsync();

        var download = await page.Page.RunAndWaitForDownloadAsync(() => page.Page.ClickAsync("#csv"));
        var bytes = await File.ReadAllBytesAsync((await download.PathAsync())!);

        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.Equal("xinqu-20261116-20261120-by-clerk.csv", download.SuggestedFilename);
        var lines = System.Text.Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("key,label,issued,", lines[0], StringComparison.Ordinal);
        Assert.Equal(shown, lines.Length - 1);
        Assert.Equal((await api.GetAsync<SummaryReport>($"reports/summary?{Week}&groupBy=clerk")).Rows.Count, shown);
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Charts_DrawTheReportsOfTheRange()
    {
        using var api = week.Host.Api();
        await using var page = await OpenReadyAsync($"/audit/xinqu?{Week}&groupBy=hall");
        var peaks = await api.GetAsync<PeakReport>($"reports/peaks?{Week}");
        var spread = await api.GetAsync<DistributionReport>($"reports/distribution?{Week}");
        var byMatter = await api.GetAsync<SummaryReport>($"reports/summary?{Week}&groupBy=matter");
        var byDay = await api.GetAsync<SummaryReport>($"reports/summary?{Week}&groupBy=day");

        var drawn = await page.Page.EvaluateAsync<JsonElement>("""
            () => Object.fromEntries(['peaks', 'hot', 'spread', 'daily'].map(name => {
              const option = echarts.getInstanceByDom(document.getElementById(`${name}-chart`)).getOption();
              return [name, option.series.map(series => series.data.map(d => d?.value ?? d))];
            }))
            """);

        var cells = drawn.GetProperty("peaks")[0].EnumerateArray().Select(c => c[2].GetInt32()).ToList();
        Assert.Equal(peaks.Issued.Sum(day => day.Sum()), cells.Sum());
        Assert.Equal(peaks.Issued.Max(day => day.Max()), cells.Max());
        var hot = drawn.GetProperty("hot")[0].EnumerateArray().Select(v => v.GetInt32()).ToList();
        Assert.Equal(byMatter.Rows.Select(r => r.Issued).OrderDescending().Take(10), hot);
        Assert.Equal(spread.Wait, drawn.GetProperty("spread")[0].EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal(spread.Handle, drawn.GetProperty("spread")[1].EnumerateArray().Select(v => v.GetInt32()));
        var serviceLevel = drawn.GetProperty("daily")[0].EnumerateArray().Select(v => v.GetDouble()).ToList();
        Assert.Equal(byDay.Rows.Select(r => Math.Round(r.ServiceLevel!.Value * 100, 1)), serviceLevel);
        await Expect(page.Page.Locator("#peaks-note")).ToContainTextAsync($"{cells.Max()} 张");
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task QuickRanges_FollowTheHallsServiceDay_AndAnEmptyOrBadRangeIsSaidHonestly()
    {
        using var api = week.Host.Api();
        await using var page = await OpenReadyAsync($"/audit/xinqu?{Week}&groupBy=hour");
        var p = page.Page;

        await p.ClickAsync("#presets [data-preset='today']");
        await Expect(p.Locator("#from")).ToHaveValueAsync("2026-11-20");
        await Expect(p.Locator("#to")).ToHaveValueAsync("2026-11-20");
        await Expect(p.Locator("#presets [data-preset='today']")).ToHaveAttributeAsync("aria-pressed", "true");
        await WaitForReportAsync(p);
        var friday = await api.GetAsync<SummaryReport>("reports/summary?from=2026-11-20&to=2026-11-20&groupBy=hour");
        await AssertTableShowsAsync(p, friday);

        await p.ClickAsync("#presets [data-preset='lastMonth']");
        await Expect(p.Locator("#from")).ToHaveValueAsync("2026-10-01");
        await Expect(p.Locator("#to")).ToHaveValueAsync("2026-10-31");
        await Expect(p.Locator("#report")).ToHaveAttributeAsync("data-state", "empty");
        await Expect(p.Locator("#report-message strong")).ToHaveTextAsync("2026-10-01 至 2026-10-31 没有取号记录");
        await page.ScreenshotAsync("audit-empty");

        await p.FillAsync("#from", "2026-11-20");
        await p.FillAsync("#to", "2026-11-16");
        await p.DispatchEventAsync("#to", "change");
        await Expect(p.Locator("#report")).ToHaveAttributeAsync("data-state", "error");
        await Expect(p.Locator("#report-message .detail")).ToHaveTextAsync("to is before from.");

        // The browser reports each refused request of the report; nothing else may go wrong.
        Assert.All(page.Errors, error => Assert.Contains("status of 400", error, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TicketLookUp_ShowsStateDurationsAndTheHistoryWithEachEventsHash()
    {
        using var api = week.Host.Api();
        var rated = await api.TicketAsync(week.RatedTicketId);
        await using var page = await OpenReadyAsync($"/audit/xinqu?{Week}");
        var p = page.Page;
        await Expect(p.Locator("#verification")).ToHaveAttributeAsync("data-state", "ok");
        var verification = await api.GetAsync<JournalVerification>("journal/verify");
        await Expect(p.Locator("#verified-events")).ToHaveTextAsync(verification.Events.ToString("N0", CultureInfo.InvariantCulture));

        await p.FillAsync("#ticket-id", rated.TicketId.ToLowerInvariant());
        await p.ClickAsync("#ticket-form button[type=submit]");

        await Expect(p.Locator("#ticket .ticket-state")).ToHaveTextAsync("已办结");
        await Expect(p.Locator("#ticket-wait")).ToHaveTextAsync(Duration(rated.WaitSeconds));
        var rows = p.Locator("#history tbody tr");
        await Expect(rows).ToHaveCountAsync(rated.History!.Count);
        for (var i = 0; i < rated.History.Count; i++)
        {
            await Expect(rows.Nth(i)).ToHaveAttributeAsync("data-seq", rated.History[i].Seq.ToString(CultureInfo.InvariantCulture));
            await Expect(rows.Nth(i).Locator(".hash")).ToHaveTextAsync(rated.History[i].Hash);
        }

        await Expect(rows.Last).ToHaveAttributeAsync("data-type", "ticketRated");
        await p.Locator("#ticket").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync("audit-ticket");

        var transferred = await api.TicketAsync(week.TransferredTicketId);
        await p.FillAsync("#ticket-id", transferred.TicketId);
        await p.PressAsync("#ticket-id", "Enter");
        await Expect(p.Locator("#ticket .ticket-state")).ToHaveTextAsync("已转办");
        await p.ClickAsync($"#ticket button.link:text('{transferred.TransferredTo}')");
        await Expect(p.Locator("#ticket .ticket-id")).ToHaveTextAsync(transferred.TransferredTo!);
        Assert.Contains($"ticket={transferred.TransferredTo}", p.Url, StringComparison.Ordinal);
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task Verification_ShowsTheFirstBadEvent_AfterTheJournalWasTamperedWith()
    {
        await using var host = new PageHost();
        using var api = host.Api();
        var ticket = await api.IssueAsync("BIZ-REG");
        await api.OpenAsync("05", "王芳");
        await api.CallNextAsync("05");
        await api.ActAsync("05", "start");
        await using var page = await browser.OpenAsync(host, "/audit/xinqu", 1920, 1080);
        var p = page.Page;
        await Expect(p.Locator("#verification")).ToHaveAttributeAsync("data-state", "ok");
        await Expect(p.Locator("#verified-events")).ToHaveTextAsync("4");

        await using (var connection = new SqliteConnection($"Data Source={host.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE journal SET data = replace(data, '王芳', '张伟') WHERE hall = 'xinqu' AND seq = 3";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        await p.ClickAsync("#verify");

        await Expect(p.Locator("#verification")).ToHaveAttributeAsync("data-state", "tampered");
        await Expect(p.Locator("#first-bad")).ToHaveTextAsync("3");
        await Expect(p.Locator("#verification .problem")).Not.ToBeEmptyAsync();
        await Expect(p.Locator("#verification pre")).ToContainTextAsync("张伟");
        await p.FillAsync("#ticket-id", ticket.Number);
        await p.PressAsync("#ticket-id", "Enter");
        await Expect(p.Locator("#history tr.broken")).ToHaveAttributeAsync("data-seq", "3");
        await p.Locator(".integrity").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync("audit-tampered");
        Assert.Empty(page.Errors);
    }

    private async Task<OpenPage> OpenReadyAsync(string path)
    {
        var page = await browser.OpenAsync(week.Host, path, 1920, 1080);
        await WaitForReportAsync(page.Page);
        return page;
    }

    private static async Task WaitForReportAsync(IPage page)
    {
        await Expect(page.Locator("#report")).ToHaveAttributeAsync("aria-busy", "false", new() { Timeout = 15_000 });
        await Expect(page.Locator("#report")).ToHaveAttributeAsync("data-state", "ready");
    }

    /// <summary>The table has the report's rows in its order, each with the report's counts.</summary>
    private static async Task AssertTableShowsAsync(IPage page, SummaryReport report)
    {
        var rows = page.Locator("#summary tbody tr");
        await Expect(rows).ToHaveCountAsync(report.Rows.Count);
        for (var i = 0; i < report.Rows.Count; i++)
        {
            var row = report.Rows[i];
            await Expect(rows.Nth(i)).ToHaveAttributeAsync("data-key", row.Key);
            await Expect(rows.Nth(i).Locator("[data-field='issued']")).ToHaveTextAsync(row.Issued.ToString(CultureInfo.InvariantCulture));
            await Expect(rows.Nth(i).Locator("[data-field='noShow']")).ToHaveTextAsync(row.NoShow.ToString(CultureInfo.InvariantCulture));
            await Expect(rows.Nth(i).Locator("[data-field='waitOvertime']")).ToHaveTextAsync(row.WaitOvertime.ToString(CultureInfo.InvariantCulture));
            await Expect(rows.Nth(i).Locator("[data-field='serviceLevel']")).ToHaveTextAsync(Percent(row.ServiceLevel));
        }
    }

    /// <summary>As the pages show a duration: m:ss, or h:mm:ss from an hour on.</summary>
    private static string Duration(double? seconds)
    {
        if (seconds is not { } value)
        {
            return "—";
        }

        var time = TimeSpan.FromSeconds(Math.Floor(value));
        return time.TotalHours >= 1 ? time.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : $"{(int)time.TotalMinutes}:{time.Seconds:00}";
    }

    /// <summary>
    /// As the pages show a rate: 87.5%, with 0% and 100% whole. JavaScript's toFixed rounds the double's exact
    /// value (93.55 is stored a little below, so "93.5"); seventeen digits are enough to see which side it is on.
    /// </summary>
    private static string Percent(double? rate) => rate switch
    {
        null => "—",
        0 or 1 => $"{rate * 100}%",
        _ => $"{Math.Round(decimal.Parse((rate.Value * 100).ToString("G17", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), 1, MidpointRounding.AwayFromZero).ToString("0.0", CultureInfo.InvariantCulture)}%",
    };
}
