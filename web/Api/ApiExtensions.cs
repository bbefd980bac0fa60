using System.Text.Json.Serialization;
using HallMonitor.Grains;
using Microsoft.Extensions.Options;

namespace HallMonitor.Web;

/// <summary>The API's shared plumbing: JSON shape, request limits, errors, health.</summary>
public static partial class ApiExtensions
{
    /// <summary>Bodies of API requests are small; anything bigger is refused with 413.</summary>
    public const long MaxRequestBodyBytes = 16 * 1024;

    public static IHostApplicationBuilder AddHallMonitorApi(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            HallMonitorJson.Configure(options.SerializerOptions);
            options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            options.SerializerOptions.AllowDuplicateProperties = false;
            options.SerializerOptions.Converters.Insert(0, new StrictEnumConverter());
        });
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(
            options => options.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.AddSingleton<WebMetrics>();
        builder.Services.AddSingleton<LiveConnections>();
        builder.Services.AddSignalR().AddJsonProtocol(options => HallMonitorJson.Configure(options.PayloadSerializerOptions));
        builder.Services.AddHostedService<HallEventPublisher>();
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
            {
                StatusCodes.Status404NotFound => "There is nothing at this address.",
                StatusCodes.Status405MethodNotAllowed => $"{context.HttpContext.Request.Method} is not allowed here.",
                StatusCodes.Status413PayloadTooLarge => $"The request body is larger than {MaxRequestBodyBytes} bytes.",
                StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
                _ => null,
            });
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        return builder;
    }

    public static WebApplication UseHallMonitorErrors(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<WebMetrics>();
        app.Use((context, next) => metrics.MeasureAsync(context, next));
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        // Kestrel enforces the limit while reading; a declared length over it is refused before reading at all.
        app.Use((context, next) => context.Request.ContentLength > MaxRequestBodyBytes
            ? throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge)
            : next(context));

        // Routing ran first (WebApplication puts it at the start): refuse garbage route values before any endpoint,
        // and so any grain, sees them.
        app.Use((context, next) => RequestErrors.ForRouteValues(context.Request.RouteValues) is { } errors
            ? errors.ToResult().ExecuteAsync(context)
            : next(context));
        return app;
    }

    /// <summary><c>/healthz</c>: the process is up. <c>/readyz</c>: storage and grains answer.</summary>
    /// <summary>Says where the data lives and that the server runs open, once it listens.</summary>
    public static WebApplication LogStartup(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("HallMonitor");
            var options = app.Services.GetRequiredService<IOptions<HallMonitorOptions>>().Value;
            var catalog = app.Services.GetRequiredService<HallCatalog>();
            var halls = string.Join(", ", catalog.Halls.Select(h => $"{h.Id} ({h.Name})"));
            if (options.Silo.Equals("client", StringComparison.OrdinalIgnoreCase))
            {
                LogClient(logger, halls, options.Clustering);
            }
            else
            {
                var where = options.Storage.ToLowerInvariant() switch
                {
                    "sqlite" => app.Services.GetService<SqliteStore>()?.Path ?? options.DataDir,
                    "postgres" => "PostgreSQL",
                    _ => "memory (throw-away)",
                };
                LogHalls(logger, halls, options.Storage, where);
            }
            if (catalog.Auth is null)
            {
                LogOpen(logger);
            }

            foreach (var warning in catalog.Warnings)
            {
                LogConfigurationWarning(logger, warning);
            }
        });
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving halls {Halls} as an Orleans client of the cluster ({Clustering} membership)")]
    private static partial void LogClient(ILogger logger, string halls, string clustering);

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving halls {Halls}; storage {Storage} at {Path}")]
    private static partial void LogHalls(ILogger logger, string halls, string storage, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Halls file: {Warning}")]
    private static partial void LogConfigurationWarning(ILogger logger, string warning);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No auth section in the halls file: the API runs open (demo mode); anyone who can reach it can operate every hall")]
    private static partial void LogOpen(ILogger logger);
}
