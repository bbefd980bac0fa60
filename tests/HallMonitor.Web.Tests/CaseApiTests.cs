using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HallMonitor.Grains;
using Microsoft.AspNetCore.Hosting;

namespace HallMonitor.Web.Tests;

/// <summary>Cases, their steps, the visitor's progress lookup and the follow-ups of bad reviews through the HTTP API.</summary>
public sealed class CaseApiTests
{
    private const string Hall = Api.Hall;

    /// <summary>Issues a RE-TRANS ticket and serves it at window 06 to completion: the complete answer.</summary>
    private static async Task<TicketView> AcceptCaseAsync(HttpClient client)
    {
        await client.IssueAsync("RE-TRANS");
        await client.OpenAsync("06", "李娜");
        await client.CallNextAsync("06");
        await client.ActAsync("06", "start");
        return await client.ActAsync("06", "complete");
    }

    [Fact]
    public async Task Complete_AnswersTheCaseIdAndLookupCode_AndTheCaseHasTheContractShape()
    {
        await using var api = new ApiFactory();
        using var client = api.CreateClient();
        var completed = await AcceptCaseAsync(client);

        var body = await client.GetAsync<JsonElement>($"{Hall}/cases/{completed.CaseId}");
        var ticket = await client.GetAsync<TicketView>($"{Hall}/tickets/{completed.TicketId}");

        Assert.Equal(completed.TicketId, completed.CaseId);
        Assert.Matches("^[0-9]{6}$", completed.LookupCode);
        foreach (var field in (string[])["caseId", "lookupCode", "ticketId", "matter", "state", "acceptedAt", "promisedDue", "statutoryDue", "pausedDays", "steps", "level"])
        {
            Assert.True(body.TryGetProperty(field, out _), $"The case has no '{field}': {body}");
        }

        Assert.Equal(completed.LookupCode, body.GetProperty("lookupCode").GetString());
        Assert.Equal("accepted", body.GetProperty("state").GetString());
        Assert.Equal("ok", body.GetProperty("level").GetString());
        Assert.Equal("李娜", body.GetProperty("steps")[0].GetProperty("by").GetString());
        Assert.Equal(completed.CaseId, ticket.CaseId);
        Assert.Null(ticket.LookupCode);
        Assert.DoesNotContain(ticket.History!, h => h.Data.Contains(completed.LookupCode!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Steps_InOrderAnswerTheCase_OutOfOrderIs409_AndBadInputIs400()
    {
        await using var api = new ApiFactory();
        using var client = api.CreateClient();
        var caseId = (await AcceptCaseAsync(client)).CaseId;
        var steps = $"{Hall}/cases/{caseId}/steps";

        var outOfOrder = await client.PostAsJsonAsync(steps, new { step = "decide" });
        var review = await client.PostAsJsonAsync(steps, new { step = "review", note = "材料齐全", by = "张伟" });
        var accepted = await client.PostAsJsonAsync(steps, new { step = "accepted" });
        var unknown = await client.PostAsJsonAsync(steps, new { step = "approve" });
        var longNote = await client.PostAsJsonAsync(steps, new { step = "decide", note = new string('很', 501) });
        var noCase = await client.PostAsJsonAsync($"{Hall}/cases/20260101-C001/steps", new { step = "review" });

        Assert.Equal(HttpStatusCode.Conflict, outOfOrder.StatusCode);
        Assert.Equal(HttpStatusCode.OK, review.StatusCode);
        var view = (await review.Content.ReadFromJsonAsync<CaseView>(Api.Json))!;
        Assert.Equal((CaseState.InReview, "张伟", "材料齐全"), (view.State, view.Steps![^1].By, view.Steps[^1].Note));
        Assert.Equal(HttpStatusCode.BadRequest, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, longNote.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noCase.StatusCode);
        Assert.Equal(CaseState.InReview, (await client.GetAsync<CaseView>($"{Hall}/cases/{caseId}")).State);
    }

    [Fact]
    public async Task Progress_ShowsNoNamesOrNotes_AndAWrongCodeIsTheSame404AsAnUnknownCase()
    {
        await using var api = new ApiFactory();
        using var client = api.CreateClient();
        var completed = await AcceptCaseAsync(client);
        await client.PostAsJsonAsync($"{Hall}/cases/{completed.CaseId}/steps", new { step = "review", note = "内部意见", by = "张伟" });
        var wrong = completed.LookupCode == "000000" ? "000001" : "000000";

        var progress = await client.GetAsync($"{Hall}/cases/{completed.CaseId}/progress?code={completed.LookupCode}");
        var text = await progress.Content.ReadAsStringAsync();
        var wrongCode = await client.GetAsync($"{Hall}/cases/{completed.CaseId}/progress?code={wrong}");
        var unknownCase = await client.GetAsync($"{Hall}/cases/20260101-C999/progress?code={wrong}");
        var malformed = await client.GetAsync($"{Hall}/cases/{completed.CaseId}/progress?code=12345");

        Assert.Equal(HttpStatusCode.OK, progress.StatusCode);
        foreach (var secret in (string[])["李娜", "张伟", "内部意见", "\"by\"", "\"note\"", "lookupCode", "clerk"])
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }

        var shown = JsonSerializer.Deserialize<JsonElement>(text);
        Assert.Equal(["accepted", "review"], shown.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, wrongCode.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownCase.StatusCode);
        Assert.Equal(
            Detail(await unknownCase.Content.ReadFromJsonAsync<JsonElement>()).Replace("20260101-C999", completed.CaseId, StringComparison.Ordinal),
            Detail(await wrongCode.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    [Fact]
    public async Task Progress_PastTheLimitPerAddress_Is429WithRetryAfter()
    {
        await using var api = new LookupLimitedFactory();
        using var client = api.CreateClient();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last = await client.GetAsync($"{Hall}/cases/20260101-C001/progress?code=123456");
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], statuses);
        Assert.True(last!.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task CaseList_FiltersByStateAndMatter_AndRefusesUnknownValues()
    {
        await using var api = new ApiFactory();
        using var client = api.CreateClient();
        var caseId = (await AcceptCaseAsync(client)).CaseId;

        var open = await client.GetAsync<CaseView[]>($"{Hall}/cases?state=open&matter=RE-TRANS");
        var otherMatter = await client.GetAsync<CaseView[]>($"{Hall}/cases?matter=BIZ-REG");
        var overdue = await client.GetAsync<CaseView[]>($"{Hall}/cases?state=overdue");

        Assert.Equal([caseId], open.Select(c => c.CaseId));
        Assert.Null(open[0].LookupCode);
        Assert.Empty(otherMatter);
        Assert.Empty(overdue);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"{Hall}/cases?state=late")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{Hall}/cases?matter=NOPE")).StatusCode);
    }

    [Fact]
    public async Task FollowUp_OfARatingOfOne_IsListedAndClosedOnceWithANote()
    {
        await using var api = new ApiFactory();
        using var client = api.CreateClient();
        var ticket = (await AcceptCaseAsync(client)).TicketId;
        (await client.PostAsJsonAsync($"{Hall}/tickets/{ticket}/rating", new { score = 1, comment = "态度差" })).EnsureSuccessStatusCode();

        var open = await client.GetAsync<FollowUpView[]>($"{Hall}/followups");
        var noNote = await client.PostAsJsonAsync($"{Hall}/followups/{ticket}/close", new { by = "王主任" });
        var closed = await client.PostAsJsonAsync($"{Hall}/followups/{ticket}/close", new { note = "已回访并致歉", by = "王主任" });
        var again = await client.PostAsJsonAsync($"{Hall}/followups/{ticket}/close", new { note = "再次", by = "王主任" });
        var all = await client.GetAsync<FollowUpView[]>($"{Hall}/followups?state=all");

        Assert.Equal((ticket, 1, "态度差"), (open.Single().FollowUpId, open.Single().Score, open.Single().Comment));
        Assert.Equal(HttpStatusCode.BadRequest, noNote.StatusCode);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal((FollowUpState.Closed, "王主任", "已回访并致歉"), (all.Single().State, all.Single().ClosedBy, all.Single().Note));
        Assert.Empty(await client.GetAsync<FollowUpView[]>($"{Hall}/followups?state=open"));
    }

    [Fact]
    public async Task CaseReport_AsJsonAndCsv_CountsTheCasesAndListsTheOverdueOnes()
    {
        // Monday 23 November 2026, 09:00 in Shanghai; the case is promised by the end of Thursday 26.
        var clock = new HallMonitor.Testing.ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero));
        await using var api = new ApiFactory(clock);
        using var client = api.CreateClient();
        var caseId = (await AcceptCaseAsync(client)).CaseId;
        clock.AdvanceTo(new DateTimeOffset(2026, 11, 27, 1, 0, 0, TimeSpan.Zero));
        const string range = "from=2026-11-23&to=2026-11-23";

        var report = await client.GetAsync<CaseReport>($"{Hall}/reports/cases?{range}");
        var csv = await client.GetByteArrayAsync($"{Hall}/reports/cases?{range}&format=csv");
        var overdue = await client.GetAsync<OverdueCase[]>($"{Hall}/reports/cases/overdue?{range}");
        var overdueCsv = System.Text.Encoding.UTF8.GetString(await client.GetByteArrayAsync($"{Hall}/reports/cases/overdue?{range}&format=csv"));

        var row = Assert.Single(report.ByMatter);
        Assert.Equal(("RE-TRANS", 1, 1, 1), (row.Key, row.Accepted, row.Open, row.OpenOverdue));
        Assert.Equal(1, report.OpenByLevel.Single(l => l.Level == CaseLevel.Red).Cases);
        Assert.Equal([0xEF, 0xBB, 0xBF], csv[..3]);
        var lines = System.Text.Encoding.UTF8.GetString(csv[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("by,key,label,accepted,decided,decidedOnTime,onTimeRate,open,openOverdue,followUpsOpened,followUpsClosedOnTime,followUpsOverdue", lines[0]);
        Assert.Equal(["matter,RE-TRANS,不动产转移登记,1,0,0,,1,1,0,0,0", "window,06,6号窗口,1,0,0,,1,1,0,0,0"], lines[1..]);
        Assert.Equal(caseId, Assert.Single(overdue).CaseId);
        Assert.Contains($"{caseId},C001,RE-TRANS,不动产转移登记,06,accepted,2026-11-23T09:00:00+08:00,2026-11-27T00:00:00+08:00,2026-12-01T00:00:00+08:00,,red", overdueCsv, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"{Hall}/reports/cases?from=2026-11-23")).StatusCode);
    }

    private static string Detail(JsonElement problem) => problem.GetProperty("detail").GetString()!;

    /// <summary>Three progress lookups a minute per address.</summary>
    private sealed class LookupLimitedFactory : ApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("HallMonitor:RateLimit:LookupsPerMinute", "3");
        }
    }
}
