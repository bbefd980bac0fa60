using System.Net;
using System.Text;
using HallMonitor.Silo;

namespace HallMonitor.Web.Tests;

public sealed class SecurityHeaderTests
{
    public static TheoryData<string, string, string?, HttpStatusCode, string> Responses => new()
    {
        { "GET", "/", null, HttpStatusCode.OK, "text/html" },
        { "GET", "/wall/" + TestHalls.HallId, null, HttpStatusCode.OK, "text/html" },
        { "GET", "/js/ui.js", null, HttpStatusCode.OK, "text/javascript" },
        { "GET", "/favicon.svg", null, HttpStatusCode.OK, "image/svg+xml" },
        { "GET", Api.Hall, null, HttpStatusCode.OK, "application/json" },
        { "GET", "/wall/nowhere", null, HttpStatusCode.NotFound, "text/html" },
        { "GET", "/js/no-such-file.js", null, HttpStatusCode.NotFound, "application/problem+json" },
        { "GET", Api.Hall + "/tickets/not-a-ticket", null, HttpStatusCode.NotFound, "application/problem+json" },
        { "POST", Api.Hall + "/tickets", "{}", HttpStatusCode.BadRequest, "application/problem+json" },
        { "POST", Api.Hall + "/tickets", "{\"matter\":", HttpStatusCode.BadRequest, "application/problem+json" },
    };

    [Theory]
    [MemberData(nameof(Responses))]
    public async Task EveryResponse_CarriesTheSecurityHeaders(string method, string path, string? body, HttpStatusCode status, string contentType)
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; " +
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
            Header(response, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
    }

    [Fact]
    public async Task Dashboard_AllowsInlineStylesAndDataFonts_ButStillOnlyItsOwnScripts()
    {
        await using var api = new ApiFactory();
        var client = api.WithWebHostBuilder(web => web.UseSetting(DashboardHostingExtensions.Key, "true")).CreateClient();

        using var response = await client.GetAsync("/dashboard/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'; font-src 'self' data:; connect-src 'self'; " +
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
            Header(response, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;
}
