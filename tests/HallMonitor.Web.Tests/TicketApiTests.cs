using System.Net;
using System.Net.Http.Json;
using HallMonitor.Grains;

namespace HallMonitor.Web.Tests;

public sealed class TicketApiTests
{
    [Fact]
    public async Task Ticket_GoesFromIssueToRatingThroughTheApi()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        var issued = await client.IssueAsync("BIZ-REG");
        await client.OpenAsync("09", "王芳");

        var called = await client.CallNextAsync("09");
        await client.ActAsync("09", "start");
        var completed = await client.ActAsync("09", "complete");
        var rated = await client.PostAsJsonAsync($"{Api.Hall}/tickets/{issued.TicketId}/rating", new { score = 5, comment = "办事效率高" }, Api.Json);
        var ticket = await client.GetAsync<TicketView>($"{Api.Hall}/tickets/{issued.TicketId}");

        Assert.Equal(issued.TicketId, called!.TicketId);
        Assert.Equal(TicketState.Completed, completed.State);
        Assert.Equal(HttpStatusCode.OK, rated.StatusCode);
        Assert.Equal(TicketState.Completed, ticket.State);
        Assert.Equal(5, ticket.Rating!.Score);
        Assert.Equal("办事效率高", ticket.Rating.Comment);
        Assert.Equal("王芳", ticket.Clerk);
        Assert.Equal(["ticketIssued", "ticketCalled", "serviceStarted", "serviceCompleted", "ticketRated"], ticket.History!.Select(h => h.Type));
        Assert.All(ticket.History!, h => Assert.Matches("^[0-9a-f]{64}$", h.Hash));
    }

    [Fact]
    public async Task IssueTicket_AgainWithTheSameIdempotencyKey_AnswersTheSameTicket_AndIssuesNothing()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();

        async Task<(HttpStatusCode Status, TicketView Ticket)> IssueWithKeyAsync(string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{Api.Hall}/tickets") { Content = JsonContent.Create(new { matter = "BIZ-REG" }, options: Api.Json) };
            request.Headers.Add("Idempotency-Key", key);
            var response = await client.SendAsync(request);
            return (response.StatusCode, (await response.Content.ReadFromJsonAsync<TicketView>(Api.Json))!);
        }

        var first = await IssueWithKeyAsync("3f1c9a7e-kiosk-2");
        var retried = await IssueWithKeyAsync("3f1c9a7e-kiosk-2");
        var another = await IssueWithKeyAsync("3f1c9a7e-kiosk-3");

        Assert.Equal((HttpStatusCode.Created, "A001"), (first.Status, first.Ticket.Number));
        Assert.Equal((HttpStatusCode.Created, first.Ticket.TicketId), (retried.Status, retried.Ticket.TicketId));
        Assert.Equal("A002", another.Ticket.Number);
        Assert.Equal(2, (await client.VerifyJournalAsync()).Events);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("has space")]
    [InlineData("键")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public async Task IssueTicket_WithAMalformedIdempotencyKey_Is400_AndIssuesNothing(string key)
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Api.Hall}/tickets") { Content = JsonContent.Create(new { matter = "BIZ-REG" }, options: Api.Json) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Idempotency-Key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, (await client.VerifyJournalAsync()).Events);
    }

    [Fact]
    public async Task IssueTicket_Answers201WithLocationNumberAndEstimate()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        await client.IssueAsync("TAX-INV");

        var response = await client.PostAsJsonAsync($"{Api.Hall}/tickets", new { matter = "TAX-INV", channel = "online" }, Api.Json);
        var ticket = await response.Content.ReadFromJsonAsync<TicketView>(Api.Json);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"{Api.Hall}/tickets/{ticket!.TicketId}", response.Headers.Location!.OriginalString);
        Assert.Equal("B002", ticket.Number);
        Assert.Equal(TicketChannel.Online, ticket.Channel);
        Assert.Equal(1, ticket.Ahead);

        // One ticket ahead, no service yet (so the handle target, 600 s), ten windows configured for TAX-INV.
        Assert.Equal(60, ticket.EstimatedWaitSeconds);
    }

    [Fact]
    public async Task Cancel_WithdrawsAWaitingTicketAndRefusesAFinishedOne()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        var ticket = await client.IssueAsync("RE-TRANS");

        var first = await client.PostAsync($"{Api.Hall}/tickets/{ticket.TicketId}/cancel", null);
        var second = await client.PostAsync($"{Api.Hall}/tickets/{ticket.TicketId}/cancel", null);
        var snapshot = await client.SnapshotAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(TicketState.Cancelled, (await first.Content.ReadFromJsonAsync<TicketView>(Api.Json))!.State);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal(0, snapshot.Queues.Single(q => q.Matter == "RE-TRANS").Waiting);
    }

    [Fact]
    public async Task Transfer_EndsTheServiceAndQueuesALinkedPriorityLeg()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        var first = await client.IssueAsync("BIZ-REG");
        await client.IssueAsync("TAX-INV");
        await client.OpenAsync("09", "王芳");
        await client.CallNextAsync("09");
        await client.ActAsync("09", "start");

        var response = await client.PostAsJsonAsync($"{Api.Hall}/windows/09/transfer", new { matter = "TAX-INV" }, Api.Json);
        var leg = await response.Content.ReadFromJsonAsync<TicketView>(Api.Json);
        var original = await client.GetAsync<TicketView>($"{Api.Hall}/tickets/{first.TicketId}");
        await client.OpenAsync("11", "李明");
        var next = await client.CallNextAsync("11");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TicketState.Waiting, leg!.State);
        Assert.True(leg.Priority);
        Assert.Equal(first.TicketId, leg.TransferredFrom);
        Assert.Equal(TicketState.Transferred, original.State);
        Assert.Equal(leg.TicketId, original.TransferredTo);
        Assert.Equal(leg.TicketId, next!.TicketId);
    }

    [Fact]
    public async Task Rating_IsRefusedBeforeCompletionAndTheSecondTime()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        var ticket = await client.IssueAsync("BIZ-REG");

        var early = await client.PostAsJsonAsync($"{Api.Hall}/tickets/{ticket.TicketId}/rating", new { score = 4 }, Api.Json);
        await client.OpenAsync("09", "王芳");
        await client.CallNextAsync("09");
        await client.ActAsync("09", "start");
        await client.ActAsync("09", "complete");
        var once = await client.PostAsJsonAsync($"{Api.Hall}/tickets/{ticket.TicketId}/rating", new { score = 4 }, Api.Json);
        var twice = await client.PostAsJsonAsync($"{Api.Hall}/tickets/{ticket.TicketId}/rating", new { score = 1 }, Api.Json);

        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal(HttpStatusCode.OK, once.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal(4, (await client.GetAsync<TicketView>($"{Api.Hall}/tickets/{ticket.TicketId}")).Rating!.Score);
    }
}
