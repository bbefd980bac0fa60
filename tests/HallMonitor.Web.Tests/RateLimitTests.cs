using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HallMonitor.Grains;
using Microsoft.AspNetCore.Hosting;

namespace HallMonitor.Web.Tests;

/// <summary>
/// Commands are rate-limited per token (or per address without one): past the burst a command is 429 with problem
/// details and Retry-After and changes nothing; reads are not limited, and another token keeps its own allowance.
/// </summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task PastTheBurst_ACommandIs429WithRetryAfter_AndChangesNothing_ReadsStillAnswer()
    {
        using var factory = new LimitedFactory(auth: null);
        using var client = factory.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync($"{Api.Hall}/tickets", new { matter = "BIZ-REG" })).StatusCode);
        }

        var before = (await client.SnapshotAsync()).Seq;
        var refused = await client.PostAsJsonAsync($"{Api.Hall}/tickets", new { matter = "BIZ-REG" });

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Contains("nothing was changed", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(before, (await client.SnapshotAsync()).Seq);
        Assert.Equal(3, (await client.SnapshotAsync()).Kpis.Issued);
    }

    [Fact]
    public async Task EachTokenHasItsOwnAllowance()
    {
        string[] names = ["kiosk-a", "kiosk-b"];
        var tokens = names.ToDictionary(n => n, n => $"rate-test-{n}-token");
        using var factory = new LimitedFactory(new AuthDefinition
        {
            Tokens = [.. names.Select(n => new TokenDefinition { Sha256 = AccessTokens.Hash(tokens[n]), Role = Roles.Kiosk, Name = n, Hall = TestHalls.HallId })],
        });
        using var a = factory.CreateClient();
        a.DefaultRequestHeaders.Authorization = new("Bearer", tokens["kiosk-a"]);
        using var b = factory.CreateClient();
        b.DefaultRequestHeaders.Authorization = new("Bearer", tokens["kiosk-b"]);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await a.PostAsJsonAsync($"{Api.Hall}/tickets", new { matter = "TAX-INV" })).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.Created, (await b.PostAsJsonAsync($"{Api.Hall}/tickets", new { matter = "TAX-INV" })).StatusCode);
    }

    /// <summary>A burst of three commands, then one a second.</summary>
    private sealed class LimitedFactory(AuthDefinition? auth) : ApiFactory(auth: auth)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("HallMonitor:RateLimit:CommandsPerMinute", "60");
            builder.UseSetting("HallMonitor:RateLimit:CommandBurst", "3");
        }
    }
}
