using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Prometheus;

namespace HallMonitor.Web;

/// <summary>
/// The web edge's Prometheus metrics (prometheus-net) in the host's registry: HTTP requests by route template,
/// method and status class (never by raw path, so the label set stays bounded) and the open SignalR connections.
/// </summary>
public sealed class WebMetrics
{
    private static readonly double[] DurationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly string[] RequestLabels = ["method", "route", "status_class"];
    private readonly Counter _requests;
    private readonly Histogram _duration;
    private readonly Gauge _connections;

    public WebMetrics(CollectorRegistry registry)
    {
        var metrics = Metrics.WithCustomRegistry(registry);
        _requests = metrics.CreateCounter("hallmonitor_http_requests_total", "HTTP requests answered, by route template, method and status class.", RequestLabels);
        _duration = metrics.CreateHistogram("hallmonitor_http_request_duration_seconds", "Time to answer HTTP requests, by route template, method and status class.", RequestLabels,
            new HistogramConfiguration { Buckets = DurationBuckets });
        _connections = metrics.CreateGauge("hallmonitor_signalr_connections", "Open SignalR connections to the hall hub.");
    }

    public void Connected() => _connections.Inc();

    public void Disconnected() => _connections.Dec();

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
            var statusClass = status is >= 100 and < 600 ? $"{status / 100}xx" : "other";
            _requests.WithLabels(context.Request.Method, route, statusClass).Inc();
            _duration.WithLabels(context.Request.Method, route, statusClass).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }
}
