using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HallMonitor.Grains;
using HallMonitor.Testing;

namespace HallMonitor.Web.Tests;

[CollectionDefinition(Name)]
public sealed class AccessCollection : ICollectionFixture<AccessFixture>
{
    public const string Name = "access";
}

/// <summary>
/// Who may do what, through the HTTP API and the hub, with tokens from the halls file. The expected matrix is
/// written out here, apart from the product's own table, so that a change to either shows.
/// </summary>
[Collection(AccessCollection.Name)]
public sealed class AccessTests(AccessFixture fixture)
{
    private const string Hall = Api.Hall;

    private static readonly string[] Everyone = [.. AccessFixture.Tokens.Keys];

    /// <summary>Each request, and the token names that may make it; every other token gets 403.</summary>
    private static readonly (string Method, string Path, object? Body, string[] Allowed)[] Matrix =
    [
        ("GET", $"{Hall}", null, ["kiosk-east", "张三", "李四", "wall-1", "王主任", "审计组", "admin"]),
        ("GET", $"{Hall}/snapshot", null, ["kiosk-east", "张三", "李四", "wall-1", "王主任", "审计组", "admin"]),
        ("POST", $"{Hall}/tickets", new { matter = "BIZ-REG" }, ["kiosk-east", "王主任", "admin"]),
        ("GET", $"{Hall}/windows/01", null, ["kiosk-east", "张三", "李四", "wall-1", "王主任", "审计组", "admin"]),
        ("POST", $"{Hall}/windows/01/pause", new { }, ["张三", "王主任", "admin"]),
        ("POST", $"{Hall}/windows/02/pause", new { }, ["李四", "王主任", "admin"]),
        ("POST", $"{Hall}/windows/01/call-next", null, ["张三", "王主任", "admin"]),
        ("GET", $"{Hall}/alerts", null, ["张三", "李四", "wall-1", "王主任", "审计组", "admin"]),
        ("POST", $"{Hall}/alerts/wait-nothing/ack", new { }, ["张三", "李四", "王主任", "admin"]),
        ("GET", $"{Hall}/reports/summary?from=2026-01-01&to=2026-01-31", null, ["王主任", "审计组", "admin"]),
        ("GET", $"{Hall}/journal?limit=5", null, ["王主任", "审计组", "admin"]),
        ("GET", $"{Hall}/journal/verify", null, ["王主任", "审计组", "admin"]),
        ("GET", "/metrics", null, ["prometheus", "审计组", "admin"]),
        ("GET", "/api/halls", null, ["kiosk-east", "张三", "李四", "wall-1", "王主任", "宽城主任", "审计组", "admin"]),
        ("GET", "/api/me", null, Everyone),
        ("POST", "/api/admin/reload", null, ["admin"]),
        ("GET", $"{Hall}/cases", null, ["张三", "李四", "王主任", "审计组", "admin"]),
        ("GET", $"{Hall}/cases/20260101-C001", null, ["张三", "李四", "王主任", "审计组", "admin"]),

        // Clerks pass the matrix; the endpoint then allows only the cases their window accepted (CaseApiTests).
        ("POST", $"{Hall}/cases/20260101-C001/steps", new { step = "review" }, ["张三", "李四", "王主任", "admin"]),
        ("GET", $"{Hall}/followups", null, ["王主任", "审计组", "admin"]),
        ("GET", $"{Hall}/reports/cases?from=2026-01-01&to=2026-01-31", null, ["王主任", "审计组", "admin"]),
        ("POST", $"{Hall}/followups/20260101-C001/close", new { note = "已回访" }, ["王主任", "admin"]),
        ("GET", $"{Hall}/forecast", null, ["wall-1", "王主任", "审计组", "admin"]),
    ];

    [Fact]
    public async Task EveryRoleGetsExactlyWhatTheMatrixGrants_AndOthers403()
    {
        List<string> wrong = [];
        foreach (var (method, path, body, allowed) in Matrix)
        {
            foreach (var name in Everyone)
            {
                using var client = fixture.Client(name);
                var status = await SendAsync(client, method, path, body);
                var ok = allowed.Contains(name)
                    ? status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && (int)status < 500
                    : status == HttpStatusCode.Forbidden;
                if (!ok)
                {
                    wrong.Add($"{name} {method} {path}: {(int)status}");
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    [Fact]
    public async Task WithoutAToken_EveryApiCallIs401WithProblemDetails_ButHealthAndPagesAnswer()
    {
        using var anonymous = fixture.Client(null);
        foreach (var (method, path, body, _) in Matrix)
        {
            var response = await SendRawAsync(anonymous, method, path, body);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }

        foreach (var open in (string[])["/healthz", "/readyz", "/", $"/wall/{TestHalls.HallId}", $"/clerk/{TestHalls.HallId}/01", "/signin", "/js/api.js"])
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(open)).StatusCode);
        }
    }

    [Fact]
    public async Task AnUnknownToken_Is401InvalidToken_AndAHeaderWithoutBearerIsNoToken()
    {
        using var client = fixture.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", "not-a-configured-token");
        var response = await client.GetAsync($"{Hall}/snapshot");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.Single().Parameter);
        Assert.Contains("not known", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        using var basic = fixture.Factory.CreateClient();
        basic.DefaultRequestHeaders.Authorization = new("Basic", AccessFixture.Tokens["admin"].Token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await basic.GetAsync($"{Hall}/snapshot")).StatusCode);
    }

    [Fact]
    public async Task ATokenOfAnotherHall_Is403EverywhereInThisHall_AndTheHallListShowsOnlyItsOwn()
    {
        using var other = fixture.Client("宽城主任");
        foreach (var (method, path, body, _) in Matrix.Where(r => r.Path.StartsWith(Hall, StringComparison.Ordinal)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(other, method, path, body));
        }

        var halls = await other.GetFromJsonAsync<JsonElement[]>("/api/halls");
        Assert.Equal([TestHalls.OtherHallId], halls!.Select(h => h.GetProperty("id").GetString()));
        using var admin = fixture.Client("admin");
        Assert.Equal(2, (await admin.GetFromJsonAsync<JsonElement[]>("/api/halls"))!.Length);
    }

    [Fact]
    public async Task AClerkOnAnotherWindow_Is403WithTheReason_AndOpensItsOwnOnlyInItsOwnName()
    {
        using var clerk = fixture.Client("李四");
        var refused = await clerk.PostAsJsonAsync($"{Hall}/windows/03/open", new { clerk = "李四" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("window '02'", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        var asSomeoneElse = await clerk.PostAsJsonAsync($"{Hall}/windows/02/open", new { clerk = "王五" });
        Assert.Equal(HttpStatusCode.Forbidden, asSomeoneElse.StatusCode);

        var opened = await clerk.PostAsJsonAsync($"{Hall}/windows/02/open", new { });
        opened.EnsureSuccessStatusCode();
        Assert.Equal("李四", (await opened.Content.ReadFromJsonAsync<WindowView>(Api.Json))!.Clerk);
        (await clerk.PostAsync($"{Hall}/windows/02/close", null)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task TheJournalRecordsTheTokensName_NeverTheToken_AndARefusedRequestWritesNothing()
    {
        using var kiosk = fixture.Client("kiosk-east");
        using var supervisor = fixture.Client("王主任");
        using var display = fixture.Client("wall-1");
        var before = await LastSeqAsync(supervisor);

        Assert.Equal(HttpStatusCode.Forbidden, (await display.PostAsJsonAsync($"{Hall}/tickets", new { matter = "TAX-INV" })).StatusCode);
        Assert.Equal(before, await LastSeqAsync(supervisor));

        var issued = await kiosk.PostAsJsonAsync($"{Hall}/tickets", new { matter = "TAX-INV" });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var ticket = (await issued.Content.ReadFromJsonAsync<TicketView>(Api.Json))!;
        (await supervisor.PostAsync($"{Hall}/tickets/{ticket.TicketId}/cancel", null)).EnsureSuccessStatusCode();

        var page = await supervisor.GetFromJsonAsync<JsonElement>($"{Hall}/journal?fromSeq={before + 1}&limit=100");
        var events = page.GetProperty("events").EnumerateArray().ToList();
        Assert.Contains(events, e => e.GetProperty("type").GetString() == "ticketIssued" && e.GetProperty("actor").GetString() == "kiosk-east");
        Assert.Contains(events, e => e.GetProperty("type").GetString() == "ticketCancelled" && e.GetProperty("actor").GetString() == "王主任");
        var text = page.GetRawText();
        Assert.DoesNotContain(AccessFixture.Tokens["kiosk-east"].Token, text, StringComparison.Ordinal);
        Assert.DoesNotContain(AccessFixture.Tokens["王主任"].Token, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Me_SaysWhoTheTokenIs()
    {
        using var clerk = fixture.Client("张三");
        var me = await clerk.GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal("张三", me.GetProperty("name").GetString());
        Assert.Equal("clerk", me.GetProperty("role").GetString());
        Assert.Equal("01", me.GetProperty("window").GetString());
        Assert.False(me.GetProperty("open").GetBoolean());
    }

    [Fact]
    public async Task Hub_WithoutAToken_IsRefused()
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(token: null));
        Assert.Contains("401", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hub_ADisplayFollowsItsHall_ButNotAnother_AndAClerkOnlyItsWindow()
    {
        await using var wall = await ConnectAsync(AccessFixture.Tokens["wall-1"].Token);
        var snapshot = await wall.InvokeAsync<HallSnapshot>("JoinHall", TestHalls.HallId);
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => wall.InvokeAsync<HallSnapshot>("JoinHall", TestHalls.OtherHallId));
        Assert.Contains("hall 'xinqu'", refused.Message, StringComparison.Ordinal);

        await using var clerk = await ConnectAsync(AccessFixture.Tokens["张三"].Token);
        await clerk.InvokeAsync<HallSnapshot>("JoinWindow", TestHalls.HallId, "01");
        await Assert.ThrowsAnyAsync<Exception>(() => clerk.InvokeAsync<HallSnapshot>("JoinWindow", TestHalls.HallId, "02"));
        await Assert.ThrowsAnyAsync<Exception>(() => clerk.InvokeAsync<HallSnapshot>("JoinHall", TestHalls.HallId));

        // The wall hears this hall's events; a supervisor of the other hall, joined there, hears nothing of them.
        await using var otherHall = await ConnectAsync(AccessFixture.Tokens["宽城主任"].Token);
        await otherHall.InvokeAsync<HallSnapshot>("JoinHall", TestHalls.OtherHallId);
        await Assert.ThrowsAnyAsync<Exception>(() => otherHall.InvokeAsync<HallSnapshot>("JoinHall", TestHalls.HallId));

        using var kiosk = fixture.Client("kiosk-east");
        (await kiosk.PostAsJsonAsync($"{Hall}/tickets", new { matter = "RE-TRANS" })).EnsureSuccessStatusCode();
        var heard = await wall.UntilAsync(m => m.Target == "event" && m.Argument<JsonElement>().GetProperty("seq").GetInt64() > snapshot.Seq && m.Argument<JsonElement>().GetProperty("type").GetString() == "ticketIssued");
        Assert.NotEmpty(heard);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => otherHall.NextAsync("event", TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task NoTokenEverReachesTheLogs()
    {
        var token = AccessFixture.Tokens["wall-1"].Token;
        using var anonymous = fixture.Client(null);
        await anonymous.GetAsync($"/wall/{TestHalls.HallId}?token={Uri.EscapeDataString(token)}");
        await anonymous.GetAsync($"/api/halls?access_token={Uri.EscapeDataString(token)}");
        await using (var hub = await ConnectAsync(token))
        {
            await hub.InvokeAsync<HallSnapshot>("JoinHall", TestHalls.HallId);
        }

        using var wall = fixture.Client("wall-1");
        await wall.GetAsync($"{Hall}/snapshot");
        using var bad = fixture.Factory.CreateClient();
        bad.DefaultRequestHeaders.Authorization = new("Bearer", token + "-wrong");
        await bad.GetAsync($"{Hall}/snapshot");

        Assert.NotEmpty(fixture.Logs);
        Assert.DoesNotContain(fixture.Logs, line => line.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACase_IsSteppedByTheClerkOfTheWindowThatAcceptedIt_NotAnother_AndItsProgressNeedsNoToken()
    {
        using var supervisor = fixture.Client("王主任");
        var issued = await supervisor.PostAsJsonAsync($"{Hall}/tickets", new { matter = "RE-TRANS", priority = true });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        (await supervisor.PostAsJsonAsync($"{Hall}/windows/05/open", new { clerk = "王五" })).EnsureSuccessStatusCode();
        (await supervisor.PostAsync($"{Hall}/windows/05/call-next", null)).EnsureSuccessStatusCode();
        (await supervisor.PostAsync($"{Hall}/windows/05/start", null)).EnsureSuccessStatusCode();
        var completed = await (await supervisor.PostAsync($"{Hall}/windows/05/complete", null)).Content.ReadFromJsonAsync<TicketView>(Api.Json);
        (await supervisor.PostAsJsonAsync($"{Hall}/windows/05/close", new { })).EnsureSuccessStatusCode();
        using var otherClerk = fixture.Client("张三");
        using var anonymous = fixture.Client(null);

        var refused = await otherClerk.PostAsJsonAsync($"{Hall}/cases/{completed!.CaseId}/steps", new { step = "review" });
        var stepped = await supervisor.PostAsJsonAsync($"{Hall}/cases/{completed.CaseId}/steps", new { step = "review" });
        var progress = await anonymous.GetAsync($"{Hall}/cases/{completed.CaseId}/progress?code={completed.LookupCode}");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("window '01'", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, stepped.StatusCode);
        Assert.Equal(HttpStatusCode.OK, progress.StatusCode);
        Assert.Equal("inReview", (await progress.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
    }

    private Task<HubClient> ConnectAsync(string? token)
    {
        var query = token is null ? "" : $"?access_token={Uri.EscapeDataString(token)}";
        return HubClient.ConnectAsync(() => fixture.Factory.Server.CreateWebSocketClient().ConnectAsync(new Uri($"ws://localhost/hubs/hall{query}"), CancellationToken.None));
    }

    private static async Task<long> LastSeqAsync(HttpClient supervisor) =>
        (await supervisor.GetFromJsonAsync<JsonElement>($"{Hall}/snapshot")).GetProperty("seq").GetInt64();

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, string method, string path, object? body) =>
        (await SendRawAsync(client, method, path, body)).StatusCode;

    private static Task<HttpResponseMessage> SendRawAsync(HttpClient client, string method, string path, object? body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Api.Json);
        }

        return client.SendAsync(request);
    }
}
