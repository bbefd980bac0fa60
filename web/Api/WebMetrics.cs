using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Diagnostics;

namespace HallMonitor.Web;

/// <summary>
/// The web edge's instruments: HTTP requests by route template, method and status class (never by raw path,
/// so the label set stays bounded) and the open SignalR connections.
/// </summary>
public sealed class WebMetrics
{
    public const string MeterName = "HallMonitor.Web";
    private static readonly double[] DurationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private int _connections;

    public WebMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _requests = meter.CreateCounter<long>("hallmonitor_http_requests", description: "HTTP requests answered, by route template, method and status class.");
        _duration = meter.CreateHistogram("hallmonitor_http_request_duration", unit: "s", description: "Time to answer HTTP requests, by route template, method and status class.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        meter.CreateObservableUpDownCounter("hallmonitor_signalr_connections", () => Volatile.Read(ref _connections), description: "Open SignalR connections to the hall hub.");
    }

    public void Connected() => Interlocked.Increment(ref _connections);

    public void Disconnected() => Interlocked.Decrement(ref _connections);

    /// <summary>Times every request and counts it under its endpoint's route template.</summary>
    public async Task MeasureAsync(HttpContext context, RequestDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            // The exception handler clears the endpoint before it writes the problem; its feature keeps it.
            var endpoint = context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
            var route = endpoint is RouteEndpoint routed ? routed.RoutePattern.RawText ?? "unknown" : "none";
            var status = context.Response.StatusCode;
            TagList tags = default;
            tags.Add("route", route);
            tags.Add("method", context.Request.Method);
            tags.Add("status_class", status is >= 100 and < 600 ? $"{status / 100}xx" : "other");
            _requests.Add(1, tags);
            _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        }
    }
}
