using System.Net;
using System.Text.Json;
using HallMonitor.Silo;

namespace HallMonitor.Web.Tests;

/// <summary>The Orleans Dashboard: absent unless <c>HallMonitor:Dashboard</c> is true, then served at /dashboard.</summary>
public sealed class DashboardTests
{
    [Theory]
    [InlineData("/dashboard")]
    [InlineData("/dashboard/")]
    [InlineData("/dashboard/DashboardCounters")]
    public async Task Dashboard_IsNotFound_ByDefault(string path)
    {
        await using var api = new ApiFactory();

        var response = await api.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Dashboard_ServesItsPage_WhenEnabled()
    {
        await using var api = new ApiFactory();
        var client = api.WithWebHostBuilder(web => web.UseSetting(DashboardHostingExtensions.Key, "true")).CreateClient();

        var response = await client.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/dashboard/", response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<title>Orleans Dashboard</title>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_CountsTheSilo_WhenEnabled()
    {
        await using var api = new ApiFactory();
        var client = api.WithWebHostBuilder(web => web.UseSetting(DashboardHostingExtensions.Key, "true")).CreateClient();
        await client.IssueAsync("BIZ-REG");

        // The silo's dashboard grain samples the cluster once a second.
        var hosts = 0;
        for (var deadline = DateTime.UtcNow.AddSeconds(15); hosts == 0 && DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            using var counters = JsonDocument.Parse(await client.GetStringAsync("/dashboard/DashboardCounters"));
            hosts = counters.RootElement.GetProperty("totalActiveHostCount").GetInt32();
        }

        Assert.Equal(1, hosts);
    }

    [Fact]
    public async Task Dashboard_WithTokens_IsForAdminsOnly_ABrowserSignsInAndKeepsACookieForItsPath()
    {
        const string admin = "dashboard-test-admin";
        const string kiosk = "dashboard-test-kiosk";
        await using var api = new ApiFactory(auth: new Grains.AuthDefinition
        {
            Tokens =
            [
                new() { Sha256 = Grains.AccessTokens.Hash(admin), Role = Grains.Roles.Admin, Name = "admin" },
                new() { Sha256 = Grains.AccessTokens.Hash(kiosk), Role = Grains.Roles.Kiosk, Name = "kiosk" },
            ],
        });
        var host = api.WithWebHostBuilder(web => web.UseSetting(DashboardHostingExtensions.Key, "true"));
        var browser = host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        var anonymous = await browser.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Equal("/signin?next=%2Fdashboard%2F", anonymous.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/dashboard/DashboardCounters")).StatusCode);

        var asKiosk = new HttpRequestMessage(HttpMethod.Post, "/api/session/dashboard") { Headers = { Authorization = new("Bearer", kiosk) } };
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(asKiosk)).StatusCode);

        var asAdmin = new HttpRequestMessage(HttpMethod.Post, "/api/session/dashboard") { Headers = { Authorization = new("Bearer", admin) } };
        var session = await browser.SendAsync(asAdmin);
        Assert.Equal(HttpStatusCode.NoContent, session.StatusCode);
        var cookie = session.Headers.GetValues("Set-Cookie").Single();
        Assert.Contains("path=/dashboard", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/dashboard/DashboardCounters")).StatusCode);
    }
}
