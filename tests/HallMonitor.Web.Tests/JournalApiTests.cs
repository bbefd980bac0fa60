using System.Text.Json;
using System.Collections.Concurrent;
using System.Net;
using HallMonitor.Grains;
using Microsoft.Data.Sqlite;

namespace HallMonitor.Web.Tests;

public sealed class JournalApiTests
{
    [Fact]
    public async Task Journal_PagesInSequenceOrderWithoutGaps()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        for (var i = 0; i < 7; i++)
        {
            await client.IssueAsync("BIZ-REG");
        }

        var first = await client.GetAsync<JournalPage>($"{Api.Hall}/journal?fromSeq=1&limit=5");
        var second = await client.GetAsync<JournalPage>($"{Api.Hall}/journal?fromSeq={first.NextSeq}&limit=5");

        Assert.Equal([1, 2, 3, 4, 5], first.Events.Select(e => e.Seq));
        Assert.Equal(6, first.NextSeq);
        Assert.Equal([6, 7], second.Events.Select(e => e.Seq));
        Assert.Null(second.NextSeq);
        Assert.Equal(JournalHash.Genesis, first.Events[0].PrevHash);
        Assert.All(first.Events.Concat(second.Events).Zip(first.Events.Concat(second.Events).Skip(1)), pair => Assert.Equal(pair.First.Hash, pair.Second.PrevHash));
        using var data = JsonDocument.Parse(second.Events[^1].Data);
        Assert.Equal("A007", data.RootElement.GetProperty("number").GetString());
    }

    [Fact]
    public async Task Verify_AcceptsAnUntouchedJournal()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        await client.IssueAsync("BIZ-REG");
        await client.OpenAsync("01", "王芳");
        await client.CallNextAsync("01");

        var verification = await client.GetAsync<JournalVerification>($"{Api.Hall}/journal/verify");

        Assert.True(verification.Ok);
        Assert.Equal(3, verification.Events);
        Assert.Null(verification.FirstBadSeq);
    }

    [Theory]
    [InlineData("UPDATE journal SET data = replace(data, '王芳', '张伟') WHERE hall = 'xinqu' AND seq = 2", 2)]
    [InlineData("UPDATE journal SET actor = 'someone else' WHERE hall = 'xinqu' AND seq = 3", 3)]
    [InlineData("UPDATE journal SET at = replace(at, '+08:00', '+09:00') WHERE hall = 'xinqu' AND seq = 1", 1)]
    [InlineData("DELETE FROM journal WHERE hall = 'xinqu' AND seq = 2", 2)]
    [InlineData("DELETE FROM journal WHERE hall = 'xinqu' AND seq = 4", 4)]
    public async Task Verify_NamesTheFirstEventThatWasTamperedWith(string tampering, long firstBad)
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        await client.IssueAsync("BIZ-REG");
        await client.OpenAsync("01", "王芳");
        await client.CallNextAsync("01");
        await client.ActAsync("01", "start");

        await using (var connection = new SqliteConnection($"Data Source={api.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = tampering;
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var verification = await client.GetAsync<JournalVerification>($"{Api.Hall}/journal/verify");

        Assert.False(verification.Ok);
        Assert.Equal(firstBad, verification.FirstBadSeq);
        Assert.NotNull(verification.Problem);
    }

    [Fact]
    public async Task ManyWindowsCallingAtOnce_CallEveryTicketExactlyOnce()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        string[] matters = ["BIZ-REG", "TAX-INV", "RE-TRANS"];
        var issued = new List<string>();
        for (var i = 0; i < 240; i++)
        {
            issued.Add((await client.IssueAsync(matters[i % 3], priority: i % 17 == 0)).TicketId);
        }

        var windows = Enumerable.Range(1, 12).Select(i => i.ToString("00", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        foreach (var window in windows)
        {
            await client.OpenAsync(window, $"clerk{window}");
        }

        var called = new ConcurrentBag<string>();
        await Task.WhenAll(windows.Select(window => Task.Run(async () =>
        {
            var own = api.CreateClient();
            while (await own.CallNextAsync(window) is { } ticket)
            {
                called.Add(ticket.TicketId);
                await own.ActAsync(window, "start");
                await own.ActAsync(window, "complete");
            }
        })));
        var snapshot = await client.SnapshotAsync();

        Assert.Equal(issued.Order(), called.Order());
        Assert.Equal(240, snapshot.Kpis.Completed);
        Assert.Equal(0, snapshot.Kpis.Waiting);
        Assert.True((await client.GetAsync<JournalVerification>($"{Api.Hall}/journal/verify")).Ok);
    }

    [Fact]
    public async Task Health_IsLiveAndReady()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();

        var live = await client.GetAsync("/healthz");
        var ready = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Snapshot_ShowsWindowsQueuesAndTodaysFigures()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        await client.IssueAsync("BIZ-REG");
        await client.IssueAsync("BIZ-REG");
        await client.IssueAsync("TAX-INV", priority: true);
        await client.OpenAsync("01", "王芳");
        var first = await client.CallNextAsync("01");

        var snapshot = await client.SnapshotAsync();

        Assert.Equal("B001", first!.Number);
        Assert.Equal(5, snapshot.Seq);
        Assert.Equal(12, snapshot.Windows.Count);
        var window = snapshot.Windows.Single(w => w.WindowId == "01");
        Assert.Equal(WindowState.Calling, window.State);
        Assert.Equal("B001", window.Ticket!.Number);
        Assert.Equal("王芳", window.Clerk);
        Assert.Equal(2, snapshot.Queues.Single(q => q.Matter == "BIZ-REG").Waiting);
        Assert.Equal(0, snapshot.Queues.Single(q => q.Matter == "TAX-INV").Waiting);
        Assert.Equal(3, snapshot.Kpis.Issued);
        Assert.Equal(2, snapshot.Kpis.Waiting);
        Assert.Equal(1, snapshot.Kpis.ServiceLevel);
        Assert.Null(snapshot.Kpis.SatisfactionRate);
    }
}
