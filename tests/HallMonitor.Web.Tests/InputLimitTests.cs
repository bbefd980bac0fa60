using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace HallMonitor.Web.Tests;

/// <summary>Lengths and character rules of every string, strict JSON, and route values refused before any grain.</summary>
public sealed class InputLimitTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Json = "application/json";

    public static TheoryData<string, string, string?, string?, HttpStatusCode, string> Refused => new()
    {
        { "GET", $"{Api.Hall}/tickets/%3Cscript%3E", null, null, HttpStatusCode.BadRequest, "ticketId must be 1–64 letters" },
        { "GET", $"{Api.Hall}/tickets/{new string('A', 10_000)}", null, null, HttpStatusCode.BadRequest, "ticketId must be" },
        { "GET", $"{Api.Hall}/tickets/29991231-A001", null, null, HttpStatusCode.NotFound, "no ticket '29991231-A001'" },
        { "GET", $"{Api.Hall}/tickets/20261122-Z001", null, null, HttpStatusCode.NotFound, "no ticket '20261122-Z001'" },
        { "POST", $"{Api.Hall}/tickets/20261122-A00%3B/cancel", null, null, HttpStatusCode.BadRequest, "ticketId must be" },
        { "GET", "/api/halls/%E4%B8%AD%E5%BF%83/snapshot", null, null, HttpStatusCode.BadRequest, "hall must be" },
        { "GET", $"/api/halls/{new string('x', 65)}/journal", null, null, HttpStatusCode.BadRequest, "hall must be" },
        { "POST", $"{Api.Hall}/windows/%20/open", Json, "{\"clerk\":\"王芳\"}", HttpStatusCode.BadRequest, "window must be" },
        { "POST", $"{Api.Hall}/alerts/..%2F..%2Fx/ack", Json, "{}", HttpStatusCode.BadRequest, "alertId must be" },
        { "POST", $"{Api.Hall}/tickets", Json, "{\"matter\":\"" + new string('M', 65) + "\"}", HttpStatusCode.BadRequest, "matter must be 1–64" },
        { "POST", $"{Api.Hall}/tickets", Json, "{\"matter\":\"BIZ REG\"}", HttpStatusCode.BadRequest, "matter must be" },
        { "POST", $"{Api.Hall}/tickets", Json, "{\"matter\":123}", HttpStatusCode.BadRequest, "$.matter" },
        { "POST", $"{Api.Hall}/tickets", Json, "{\"matter\":null}", HttpStatusCode.BadRequest, "matter is required" },
        { "POST", $"{Api.Hall}/tickets", Json, "{\"matter\":\"BIZ-REG\",\"matter\":\"TAX-INV\"}", HttpStatusCode.BadRequest, "not valid JSON" },
        { "POST", $"{Api.Hall}/tickets", Json, "{\"matter\":\"BIZ-REG\",\"channel\":1}", HttpStatusCode.BadRequest, "$.channel" },
        { "POST", $"{Api.Hall}/tickets", Json, "{\"matter\":\"BIZ-REG\",\"channel\":\"KIOSK\"}", HttpStatusCode.BadRequest, "$.channel" },
        { "POST", $"{Api.Hall}/tickets", Json, "{\"matter\":\"BIZ-REG\",\"channel\":\"kiosk, online\"}", HttpStatusCode.BadRequest, "$.channel" },
        { "POST", $"{Api.Hall}/tickets", Json, "{\"matter\":\"BIZ-REG\",\"channel\":\"1\"}", HttpStatusCode.BadRequest, "$.channel" },
        { "POST", $"{Api.Hall}/tickets", Json, "{\"matter\":\"BIZ-REG\",\"priority\":1}", HttpStatusCode.BadRequest, "$.priority" },
        { "POST", $"{Api.Hall}/tickets", Json, "{\"matter\":\"BIZ-REG\"} x", HttpStatusCode.BadRequest, "not valid JSON" },
        { "POST", $"{Api.Hall}/tickets", Json, "{\"matter\":\"BIZ-REG\"/*c*/}", HttpStatusCode.BadRequest, "not valid JSON" },
        { "POST", $"{Api.Hall}/tickets", Json, "[\"BIZ-REG\"]", HttpStatusCode.BadRequest, "not valid JSON" },
        { "POST", $"{Api.Hall}/tickets", Json, "matter=BIZ-REG", HttpStatusCode.BadRequest, "not valid JSON" },
        { "POST", $"{Api.Hall}/tickets", "text/plain", "{\"matter\":\"BIZ-REG\"}", HttpStatusCode.UnsupportedMediaType, "application/json" },
        { "POST", $"{Api.Hall}/windows/01/open", "text/plain", "{\"clerk\":\"王芳\"}", HttpStatusCode.UnsupportedMediaType, "application/json" },
        { "POST", $"{Api.Hall}/windows/01/open", Json, "{\"clerk\":true}", HttpStatusCode.BadRequest, "$.clerk" },
        { "POST", $"{Api.Hall}/windows/01/open", Json, "{\"clerk\":\"王芳\\n\"}", HttpStatusCode.BadRequest, "clerk must be" },
        { "GET", $"{Api.Hall}/tickets/20261122-A001%0A", null, null, HttpStatusCode.BadRequest, "ticketId must be" },
        { "POST", $"{Api.Hall}/windows/01/transfer", Json, "{\"matter\":\"<b>\"}", HttpStatusCode.BadRequest, "matter must be" },
        { "POST", $"{Api.Hall}/tickets/20261122-A001/rating", Json, "{\"score\":3,\"comment\":\"a\\u0000b\"}", HttpStatusCode.BadRequest, "comment must be readable text" },
        { "POST", $"{Api.Hall}/tickets/20261122-A001/rating", Json, "{\"score\":3,\"comment\":\"\\ud800\"}", HttpStatusCode.BadRequest, "not valid JSON" },
        { "POST", $"{Api.Hall}/tickets/20261122-A001/rating", Json, "{\"score\":3,\"comment\":\"" + new string('好', 501) + "\"}", HttpStatusCode.BadRequest, "comment has at most 500" },
        { "POST", $"{Api.Hall}/tickets/20261122-A001/rating", Json, "{\"score\":3.5}", HttpStatusCode.BadRequest, "$.score" },
        { "POST", $"{Api.Hall}/alerts/wait-20261122-A001/ack", Json, "{\"by\":\"x y\"}", HttpStatusCode.BadRequest, "by must be" },
        { "GET", $"{Api.Hall}/alerts?state=bogus", null, null, HttpStatusCode.BadRequest, "state is open or all" },
        { "GET", $"{Api.Hall}/reports/summary?from=2026-11-01&to=2026-11-02&format=xml", null, null, HttpStatusCode.BadRequest, "format is json or csv" },
        { "GET", $"{Api.Hall}/reports/summary?from={new string('2', 100)}&to=2026-11-02", null, null, HttpStatusCode.BadRequest, "from must be a date" },
        { "GET", $"{Api.Hall}/reports/peaks?from=2026-11-01&to=2026-11-02&groupBy={new string('h', 100)}", null, null, HttpStatusCode.OK, "" },
        { "GET", $"{Api.Hall}/journal?fromSeq=1e3", null, null, HttpStatusCode.BadRequest, "fromSeq has an invalid value" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task InvalidInput_IsAProblemNamingTheFieldAndChangesNothing(string method, string path, string? contentType, string? body, HttpStatusCode status, string detail)
    {
        var client = fixture.Api.CreateClient();
        var before = (await client.SnapshotAsync()).Seq;

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType!);
        }

        var response = await client.SendAsync(request);

        Assert.Equal(status, response.StatusCode);
        if (status != HttpStatusCode.OK)
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(before, (await client.SnapshotAsync()).Seq);
    }

    [Fact]
    public async Task GarbageTicketIds_AreAnsweredWithoutActivatingATicketGrain()
    {
        var ticketCalls = new TicketCalls();
        await using var api = new ApiFactory();
        var client = api.WithWebHostBuilder(web => web.ConfigureServices(services => services.AddSingleton<IIncomingGrainCallFilter>(ticketCalls))).CreateClient();
        var today = DateTime.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        string[] garbage =
        [
            "%3Cscript%3E", new string('7', 10_000), "29991231-A001", $"{today}-Z001", $"{today}-a001", "20261340-A001",
            $"{today}-A01", "..%2Fsnapshot", "%E4%B8%AD", $"{today}-A001%0A",
        ];

        foreach (var ticketId in garbage)
        {
            var lookup = await client.GetAsync($"{Api.Hall}/tickets/{ticketId}");
            var cancel = await client.PostAsync($"{Api.Hall}/tickets/{ticketId}/cancel", null);
            var rating = await client.PostAsJsonAsync($"{Api.Hall}/tickets/{ticketId}/rating", new { score = 5 });
            Assert.All([lookup, cancel, rating], r => Assert.True(r.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{ticketId}: {r.StatusCode}"));
        }

        Assert.Equal(0, ticketCalls.Count);

        // A well-formed id of today that was never issued may exist, so it does reach (and activate) a ticket grain.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{Api.Hall}/tickets/{today}-C987")).StatusCode);
        Assert.Equal(1, ticketCalls.Count);
    }

    /// <summary>Counts calls into ticket grains: a grain is activated by its first call, so no call means no activation.</summary>
    private sealed class TicketCalls : IIncomingGrainCallFilter
    {
        private int _count;

        public int Count => _count;

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.InterfaceMethod.DeclaringType == typeof(HallMonitor.Grains.ITicketGrain))
            {
                Interlocked.Increment(ref _count);
            }

            return context.Invoke();
        }
    }
}

/// <summary>One web application for tests whose requests are refused and so change nothing.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public ApiFactory Api { get; } = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => Api.DisposeAsync().AsTask();
}
