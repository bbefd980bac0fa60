using HallMonitor.Grains;

namespace HallMonitor.Web;

/// <summary>Who the caller is, for the pages; and the admin's session for the Orleans dashboard.</summary>
public static class AccessEndpoints
{
    public static IEndpointRouteBuilder MapAccessApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/me", (HttpContext context, HallCatalog catalog) => Caller.From(context.User) is { } caller
                ? new Me(Open: false, caller.Name, caller.Role, caller.Hall, caller.Window)
                : new Me(Open: catalog.Tokens is null, null, null, null, null))
            .RequireAuthorization(AccessHostingExtensions.SignedInPolicy)
            .WithTags("Access");

        // The dashboard's own requests carry no Authorization header: the admin's token goes into a cookie for its path.
        app.MapPost("/api/session/dashboard", IResult (HttpContext context) =>
            {
                const string bearer = "Bearer ";
                var authorization = context.Request.Headers.Authorization.ToString();
                if (Caller.From(context.User) is null || !authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
                {
                    return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, detail: "Send the admin token as 'Authorization: Bearer <token>'; without tokens configured the dashboard needs no sign-in.");
                }

                context.Response.Cookies.Append(DashboardCookie.Name, authorization[bearer.Length..].Trim(), DashboardCookie.Options(context.Request));
                return TypedResults.NoContent();
            })
            .Requires(Permission.ViewDashboard)
            .WithTags("Access");
        return app;
    }

    /// <summary>The caller as the pages see it; <c>open</c> when the server runs without tokens.</summary>
    public sealed record Me(bool Open, string? Name, string? Role, string? Hall, string? Window);
}
