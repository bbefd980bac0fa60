using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace HallMonitor.Web.Tests;

public sealed class BadRequestTests
{
    public static TheoryData<string, string, string?, HttpStatusCode, string> Refused => new()
    {
        { "POST", "/tickets", "{\"matter\":", HttpStatusCode.BadRequest, "not valid JSON" },
        { "POST", "/tickets", "{\"matter\":\"BIZ-REG\",\"maters\":1}", HttpStatusCode.BadRequest, "$.maters" },
        { "POST", "/tickets", "{}", HttpStatusCode.BadRequest, "matter is required" },
        { "POST", "/tickets", "{\"matter\":\"BIZ-REG\",\"channel\":\"fax\"}", HttpStatusCode.BadRequest, "$.channel" },
        { "POST", "/tickets", "{\"matter\":\"BIZ-REG\",\"priority\":\"yes\"}", HttpStatusCode.BadRequest, "$.priority" },
        { "POST", "/tickets", null, HttpStatusCode.BadRequest, "needs a JSON body" },
        { "POST", "/tickets", "{\"matter\":\"NO-SUCH\"}", HttpStatusCode.NotFound, "no matter 'NO-SUCH'" },
        { "POST", "/windows/01/open", "{}", HttpStatusCode.BadRequest, "clerk is required" },
        { "POST", "/windows/01/open", "{\"clerk\":\"<script>\"}", HttpStatusCode.BadRequest, "clerk must be" },
        { "POST", "/windows/01/open", "{\"clerk\":\"" + new string('a', 33) + "\"}", HttpStatusCode.BadRequest, "clerk must be" },
        { "POST", "/windows/99/open", "{\"clerk\":\"王芳\"}", HttpStatusCode.NotFound, "no window '99'" },
        { "POST", "/windows/01/transfer", "{}", HttpStatusCode.BadRequest, "matter is required" },
        { "POST", "/windows/01/pause", "{\"clerk\":\"a b\"}", HttpStatusCode.BadRequest, "clerk must be" },
        { "GET", "/tickets/not-a-ticket", null, HttpStatusCode.NotFound, "no ticket 'not-a-ticket'" },
        { "GET", "/tickets/20261122-A999", null, HttpStatusCode.NotFound, "no ticket '20261122-A999'" },
        { "POST", "/tickets/20261122-A999/rating", "{\"score\":6}", HttpStatusCode.BadRequest, "score must be 1" },
        { "POST", "/tickets/20261122-A999/rating", "{\"score\":\"five\"}", HttpStatusCode.BadRequest, "$.score" },
        { "POST", "/tickets/20261122-A999/rating", "{\"score\":3}", HttpStatusCode.NotFound, "no ticket" },
        { "GET", "/journal?limit=0", null, HttpStatusCode.BadRequest, "limit is 1 to 1000" },
        { "GET", "/journal?fromSeq=0", null, HttpStatusCode.BadRequest, "fromSeq starts at 1" },
        { "GET", "/journal?limit=many", null, HttpStatusCode.BadRequest, "limit has an invalid value" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task BadRequest_IsAProblemWithADetailAndChangesNothing(string method, string path, string? body, HttpStatusCode status, string detail)
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        var before = (await client.SnapshotAsync()).Seq;

        using var request = new HttpRequestMessage(new HttpMethod(method), Api.Hall + path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        else if (method == "POST")
        {
            request.Content = new StringContent("", Encoding.UTF8, "application/json");
        }

        var response = await client.SendAsync(request);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, (await client.SnapshotAsync()).Seq);
    }

    [Fact]
    public async Task UnknownHall_Is404()
    {
        await using var api = new ApiFactory();

        var response = await api.CreateClient().GetAsync("/api/halls/nowhere/snapshot");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("There is no hall 'nowhere'.", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task OversizedBody_Is413()
    {
        await using var api = new ApiFactory();
        var body = JsonSerializer.Serialize(new { matter = new string('x', 20_000) });

        var response = await api.CreateClient().PostAsync($"{Api.Hall}/tickets", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("The request body is larger than 16384 bytes.", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task NonJsonBody_Is415()
    {
        await using var api = new ApiFactory();

        var response = await api.CreateClient().PostAsync($"{Api.Hall}/tickets", new StringContent("matter=BIZ-REG", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    public static TheoryData<string, string> WrongState => new()
    {
        { "09", "complete" },
        { "09", "start" },
        { "09", "recall" },
        { "09", "no-show" },
        { "10", "call-next" },
        { "10", "pause" },
    };

    [Theory]
    [MemberData(nameof(WrongState))]
    public async Task ActionThatDoesNotFitTheState_Is409AndChangesNothing(string window, string action)
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        await client.OpenAsync("09", "王芳");
        await client.IssueAsync("BIZ-REG");
        var before = await client.SnapshotAsync();

        var response = await client.PostAsync($"{Api.Hall}/windows/{window}/{action}", null);
        var after = await client.SnapshotAsync();

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("Cannot", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before.Seq, after.Seq);
        Assert.Equal(before.Windows.Select(w => w.State), after.Windows.Select(w => w.State));
    }
}
