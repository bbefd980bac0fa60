using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace HallMonitor.Web;

/// <summary>How many requests one caller may make (<c>HallMonitor:RateLimit:*</c>); 0 switches a limit off.</summary>
public sealed class RateLimitOptions
{
    public const string Section = HallMonitorOptions.Section + ":RateLimit";

    /// <summary>
    /// Commands (every POST of the API) per minute for one token, or for one address without a token. A kiosk takes
    /// a few numbers a minute and a clerk makes a few calls; a script gone wild or a stuck button is held at this.
    /// </summary>
    public int CommandsPerMinute { get; set; } = 300;

    /// <summary>The burst on top: how many commands may come at once before the per-minute rate applies.</summary>
    public int CommandBurst { get; set; } = 60;

    /// <summary>
    /// A visitor's progress lookups per minute for one address: the lookup needs no token, so this is what keeps a
    /// script from guessing six-digit codes.
    /// </summary>
    public int LookupsPerMinute { get; set; } = 10;
}

/// <summary>
/// ASP.NET Core's rate limiter over the API's commands, partitioned by the caller's token
/// (its name), or by the remote address when there is none: 429 with problem details and <c>Retry-After</c>.
/// </summary>
public static class RateLimits
{
    /// <summary>The policy of the anonymous progress lookup, per address.</summary>
    public const string LookupPolicy = "lookups";

    public static IHostApplicationBuilder AddHallMonitorRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .Validate(o => o.CommandsPerMinute >= 0 && o.CommandBurst >= 0 && o.LookupsPerMinute >= 0, "HallMonitor:RateLimit values are 0 (off) or more");
        var options = builder.Configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                options.CommandsPerMinute == 0 || !IsCommand(context.Request)
                    ? RateLimitPartition.GetNoLimiter("not limited")
                    : RateLimitPartition.GetTokenBucketLimiter(Caller(context), _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = Math.Max(1, options.CommandBurst),
                        TokensPerPeriod = options.CommandsPerMinute,
                        ReplenishmentPeriod = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    }));
            limiter.AddPolicy(LookupPolicy, context => options.LookupsPerMinute == 0
                ? RateLimitPartition.GetNoLimiter("not limited")
                : RateLimitPartition.GetFixedWindowLimiter(Address(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.LookupsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            limiter.OnRejected = RejectAsync;
        });
        return builder;
    }

    /// <summary>A state-changing call of the API.</summary>
    private static bool IsCommand(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.StartsWithSegments("/api");

    /// <summary>The token's name when the caller has one (a kiosk keeps its allowance behind a shared address), else the address.</summary>
    private static string Caller(HttpContext context) =>
        Silo.Caller.From(context.User) is { } caller ? $"token:{caller.Name}" : Address(context);

    private static string Address(HttpContext context) => $"address:{context.Connection.RemoteIpAddress}";

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 60;
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Detail = $"Too many requests from this {(Silo.Caller.From(context.User) is null ? "address" : "token")}; nothing was changed. Try again in {retryAfter} s.",
            },
        });
    }
}
