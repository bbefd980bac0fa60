using HallMonitor.Grains;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HallMonitor.Silo;

/// <summary>A permission an endpoint needs; the policy of the same name carries it.</summary>
public sealed record PermissionRequirement(Permission Permission) : IAuthorizationRequirement;

/// <summary>Any configured token (the hub's connection, <c>/api/me</c>), whatever its role.</summary>
public sealed record SignedInRequirement : IAuthorizationRequirement;

/// <summary>
/// Decides every permission with <see cref="AccessRules"/>, the hall and window taken from the route. With no
/// <c>auth</c> section in the halls file everything is allowed (demo mode, announced at start-up).
/// </summary>
public sealed class AccessHandler(HallCatalog catalog) : IAuthorizationHandler
{
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        var open = catalog.Tokens is null;
        var caller = Caller.From(context.User);
        var route = (context.Resource as HttpContext)?.Request.RouteValues;
        foreach (var requirement in context.PendingRequirements.ToList())
        {
            if (open)
            {
                context.Succeed(requirement);
                continue;
            }

            if (caller is null)
            {
                continue;
            }

            switch (requirement)
            {
                case SignedInRequirement:
                    context.Succeed(requirement);
                    break;
                case PermissionRequirement { Permission: var permission }:
                    var refusal = AccessRules.Refusal(caller, permission, route?["hall"] as string, route?["window"] as string);
                    if (refusal is null)
                    {
                        context.Succeed(requirement);
                    }
                    else
                    {
                        context.Fail(new AuthorizationFailureReason(this, refusal));
                    }

                    break;
            }
        }

        return Task.CompletedTask;
    }
}

/// <summary>Answers a refused request with problem details: 401 without a (known) token, 403 with the reason.</summary>
public sealed class AccessResultHandler(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        int status;
        string detail;
        if (authorizeResult.Challenged && context.Request.Path.StartsWithSegments(DashboardCookie.Path) && HttpMethods.IsGet(context.Request.Method))
        {
            // A browser opening the dashboard: to the sign-in page, which comes back here.
            context.Response.Redirect("/signin?next=%2Fdashboard%2F");
            return;
        }

        if (authorizeResult.Challenged)
        {
            await context.ChallengeAsync(TokenAuthenticationHandler.SchemeName);
            status = StatusCodes.Status401Unauthorized;
            detail = TokenAuthenticationHandler.PresentedUnknownToken(context)
                ? "The token is not known here (mistyped, or withdrawn from the configuration). Sign in again with a valid token."
                : "This hall system needs a token: send it as 'Authorization: Bearer <token>', or sign in on the page.";
        }
        else
        {
            status = StatusCodes.Status403Forbidden;
            detail = authorizeResult.AuthorizationFailure?.FailureReasons.Select(r => r.Message).FirstOrDefault()
                ?? "This token may not do that.";
        }

        context.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Detail = detail },
        });
    }
}

/// <summary>Tokens and roles: registration, the middleware, and how endpoints declare what they need.</summary>
public static class AccessHostingExtensions
{
    public const string SignedInPolicy = "signed-in";

    public static IHostApplicationBuilder AddHallMonitorAccess(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, _ => { });
        builder.Services.AddAuthorization(options =>
        {
            foreach (var permission in Enum.GetValues<Permission>())
            {
                options.AddPolicy(permission.ToString(), policy => policy.AddRequirements(new PermissionRequirement(permission)));
            }

            options.AddPolicy(SignedInPolicy, policy => policy.AddRequirements(new SignedInRequirement()));
        });
        builder.Services.AddSingleton<IAuthorizationHandler, AccessHandler>();
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, AccessResultHandler>();

        // Request lines carry query strings, and a hub's or a page's may carry a token: never log them.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Routing.EndpointMiddleware", LogLevel.Warning);

        // One line per refused request ("was challenged") says nothing the 401 does not, and anyone can cause them.
        builder.Logging.AddFilter(typeof(TokenAuthenticationHandler).FullName, LogLevel.Warning);
        return builder;
    }

    /// <summary>Authenticates, authorizes, and hands the caller's name to the grains as the actor of what it journals.</summary>
    public static WebApplication UseHallMonitorAccess(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(async (context, next) =>
        {
            if (Caller.From(context.User) is not { } caller)
            {
                await next(context);
                return;
            }

            RequestContext.Set(Acting.CallerKey, caller.Name);
            try
            {
                await next(context);
            }
            finally
            {
                RequestContext.Remove(Acting.CallerKey);
            }
        });
        return app;
    }

    /// <summary>The endpoint needs <paramref name="permission"/> on the hall (and window) of its route.</summary>
    public static TBuilder Requires<TBuilder>(this TBuilder builder, Permission permission)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(permission.ToString());
}
