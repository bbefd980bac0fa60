namespace HallMonitor.Grains.Tests;

/// <summary>Report facts are a function of the journal: rebuilt from it alone, they give the same reports.</summary>
public sealed class ReportProjectionTests
{
    [Fact]
    public async Task Reports_AreRebuiltFromTheJournalAlone_WhenEveryDerivedStoreIsLost()
    {
        var before = await HallFixture.StartAsync();
        await before.OpenAsync("01", "王芳");
        await before.OpenAsync("04", "李明");
        for (var i = 0; i < 12; i++)
        {
            await before.IssueAsync(i % 3 == 0 ? "TAX-INV" : "BIZ-REG", priority: i == 4);
            before.Clock.Advance(TimeSpan.FromMinutes(2));
        }

        for (var i = 0; i < 8; i++)
        {
            var window = i % 2 == 0 ? "01" : "04";
            if (await before.Window(window).CallNextAsync() is null)
            {
                continue;
            }

            before.Clock.Advance(TimeSpan.FromMinutes(3 + i));
            await before.Window(window).StartAsync();
            before.Clock.Advance(TimeSpan.FromMinutes(5 + i));
            var done = await before.Window(window).CompleteAsync();
            await before.Ticket(done.TicketId).RateAsync(1 + (i % 5), null, "visitor");
        }

        var reports = before.Grains.GetGrain<IReportGrain>(HallFixture.HallId);
        var day = DateOnly.FromDateTime(before.Clock.GetUtcNow().AddHours(8).Date);
        var expected = await reports.GetSummaryAsync(day, day, ReportGrouping.Matter);

        await using var after = await before.CrashLosingDerivedStateAsync();
        var rebuilt = await after.Grains.GetGrain<IReportGrain>(HallFixture.HallId).GetSummaryAsync(day, day, ReportGrouping.Matter);

        Assert.Equal(12, expected.Rows.Sum(r => r.Issued));
        Assert.True(expected.Rows.Sum(r => r.Rated) > 0);
        Assert.Equal(expected.Seq, rebuilt.Seq);
        Assert.Equal(expected.Rows, rebuilt.Rows);
    }
}
