using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace HallMonitor.Web.Tests;

/// <summary>
/// The data folder on a small file system of the test's own, filled up or turned read-only while the product runs:
/// commands answer 503 and change nothing, the server reports itself unready, and once space returns it takes
/// commands again by itself.
/// </summary>
public sealed class DataFolderFaultTests
{
    private const string FullDetail = "Storage is unavailable (the data folder is full): the journal of hall 'xinqu' could not be written; nothing was changed. Writes resume by themselves once storage is back.";
    private const string ReadOnlyDetail = "Storage is unavailable (the data folder cannot be written: read-only or failing): the journal of hall 'xinqu' could not be written; nothing was changed. Writes resume by themselves once storage is back.";

    [Fact]
    public async Task FullDataFolder_Answers503AndIsUnready_ThenResumesByItselfWithoutAGap()
    {
        using var disk = SmallFileSystem.Mount(megabytes: 4);
        await using var api = new ApiFactory(dataDir: Path.Combine(disk.Path, "data"));
        var client = api.CreateClient();
        var waiting = await client.IssueAsync("BIZ-REG");
        await client.OpenAsync("01", "王芳");
        var before = await client.VerifyJournalAsync();

        disk.Fill();
        var issue = await client.PostAsJsonAsync($"{Api.Hall}/tickets", new { matter = "BIZ-REG" }, Api.Json);
        var callTook = System.Diagnostics.Stopwatch.StartNew();
        var call = await client.PostAsync($"{Api.Hall}/windows/01/call-next", null);
        callTook.Stop();
        var unready = await client.GetAsync("/readyz");
        var during = await client.VerifyJournalAsync();

        await AssertUnavailableAsync(issue, FullDetail);
        await AssertUnavailableAsync(call, FullDetail);

        // The hall retires after the failed issue; it does not wait out the followers' long polls (3 s) meanwhile.
        Assert.True(callTook.Elapsed < TimeSpan.FromSeconds(1.5), $"The 503 took {callTook.Elapsed}.");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unready.StatusCode);
        Assert.True(during.Ok);
        Assert.Equal(before.Events, during.Events);

        disk.Free();
        await WaitUntilReadyAsync(client);
        var next = await client.IssueAsync("BIZ-REG");
        var called = await client.CallNextAsync("01");
        var after = await client.VerifyJournalAsync();

        Assert.Equal("A002", next.Number);
        Assert.Equal(waiting.TicketId, called!.TicketId);
        Assert.True(after.Ok);
        Assert.Equal(before.Events + 2, after.Events);
        Assert.Equal(["A001", "A002"], await IssuedNumbersAsync(client));
    }

    [Fact]
    public async Task DataFolderTurnedReadOnly_Answers503AndIsUnready_AndJournalsNothing()
    {
        using var disk = SmallFileSystem.MountExt4(megabytes: 16);
        await using var api = new ApiFactory(dataDir: Path.Combine(disk.Path, "data"));
        var client = api.CreateClient();
        await client.IssueAsync("BIZ-REG");
        await client.OpenAsync("01", "王芳");
        var before = await client.VerifyJournalAsync();

        disk.FailToReadOnly();
        var issue = await client.PostAsJsonAsync($"{Api.Hall}/tickets", new { matter = "BIZ-REG" }, Api.Json);
        var call = await client.PostAsync($"{Api.Hall}/windows/01/call-next", null);
        var unready = await client.GetAsync("/readyz");
        var during = await client.VerifyJournalAsync();

        await AssertUnavailableAsync(issue, ReadOnlyDetail);
        await AssertUnavailableAsync(call, ReadOnlyDetail);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unready.StatusCode);
        Assert.True(during.Ok);
        Assert.Equal(before.Events, during.Events);
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response, string detail)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    /// <summary>The readiness check retries a write on every call; it turns ready once one commits.</summary>
    private static async Task WaitUntilReadyAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while ((await client.GetAsync("/readyz")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "The server did not turn ready within 15 s of the space returning.");
            await Task.Delay(200);
        }
    }

    /// <summary>The numbers of every ticketIssued event in the journal, in order.</summary>
    private static async Task<List<string>> IssuedNumbersAsync(HttpClient client)
    {
        var page = await client.GetFromJsonAsync<JsonElement>($"{Api.Hall}/journal?fromSeq=1&limit=1000");
        return [.. page.GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("type").GetString() == "ticketIssued")
            .Select(e => e.GetProperty("data").GetProperty("number").GetString()!)];
    }
}
