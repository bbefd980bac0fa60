using System.Text.Encodings.Web;
using HallMonitor.Grains;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace HallMonitor.Silo;

/// <summary>
/// Bearer tokens of the halls file's <c>auth</c> section: from the <c>Authorization</c> header, or, for the live hub
/// only, from the <c>access_token</c> query value (a browser cannot set headers on a WebSocket). Without an
/// <c>auth</c> section nobody is authenticated and <see cref="AccessHandler"/> lets everything through.
/// </summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    HallCatalog catalog)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "HallToken";

    /// <summary>The path whose requests may carry the token as <c>access_token</c>.</summary>
    public const string HubPath = "/hubs/hall";

    /// <summary>Set on a request whose token was presented but is not configured.</summary>
    private const string UnknownTokenItem = "hallmonitor:unknown-token";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (catalog.Tokens is not { } tokens || Presented() is not { } token)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (tokens.Find(token) is not { Name: { } name } found)
        {
            Context.Items[UnknownTokenItem] = true;
            return Task.FromResult(AuthenticateResult.Fail("The token is not one of the configured tokens."));
        }

        var caller = new Caller(name, found.Role, found.Hall, found.Window);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(caller.ToPrincipal(SchemeName), SchemeName)));
    }

    /// <summary>Whether this request presented a token that is not configured (401 "invalid_token" rather than "missing").</summary>
    public static bool PresentedUnknownToken(HttpContext context) => context.Items.ContainsKey(UnknownTokenItem);

    private string? Presented()
    {
        string? authorization = Request.Headers.Authorization;
        if (authorization is not null)
        {
            const string bearer = "Bearer ";
            return authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) ? authorization[bearer.Length..].Trim() : null;
        }

        if (Request.Path.StartsWithSegments(HubPath))
        {
            return Request.Query["access_token"] is [{ Length: > 0 } fromQuery] ? fromQuery : null;
        }

        return Request.Path.StartsWithSegments(DashboardCookie.Path) ? Request.Cookies[DashboardCookie.Name] : null;
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers[HeaderNames.WWWAuthenticate] = PresentedUnknownToken(Context) ? "Bearer error=\"invalid_token\"" : "Bearer";
        return Task.CompletedTask;
    }
}

/// <summary>The cookie an admin's browser holds for <c>/dashboard</c>: HttpOnly, strict same-site, that path only.</summary>
public static class DashboardCookie
{
    public const string Name = "hallmonitor-dashboard";

    public const string Path = "/dashboard";

    public static CookieOptions Options(HttpRequest request) => new()
    {
        Path = Path,
        HttpOnly = true,
        Secure = request.IsHttps,
        SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict,
        IsEssential = true,
    };
}
