using System.Diagnostics;
using System.Diagnostics.Metrics;
using HallMonitor.Grains;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HallMonitor.Silo;

/// <summary>
/// The silo's own instruments: the process metrics under the names
/// Prometheus client libraries use (<c>process_cpu_seconds_total</c>, <c>process_resident_memory_bytes</c>, …).
/// </summary>
public sealed class SiloMetrics
{
    public const string MeterName = "HallMonitor.Silo";

    public SiloMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        var started = new DateTimeOffset(Process.GetCurrentProcess().StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000d;
        meter.CreateObservableCounter("process_cpu", () => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, unit: "s", description: "Total user and system CPU time spent in seconds.");
        meter.CreateObservableGauge("process_resident_memory", () => Environment.WorkingSet, unit: "By", description: "Resident memory size in bytes.");
        meter.CreateObservableGauge("process_start_time", () => started, unit: "s", description: "Start time of the process since unix epoch in seconds.");
        meter.CreateObservableGauge("process_open_fds", CountOpenFiles, description: "Number of open file descriptors.");
    }

    private static IEnumerable<Measurement<int>> CountOpenFiles() =>
        Directory.Exists("/proc/self/fd") ? [new Measurement<int>(Directory.GetFiles("/proc/self/fd").Length)] : [];
}

/// <summary>Registers the Prometheus exporter and serves <c>/metrics</c>.</summary>
public static class MetricsHostingExtensions
{
    /// <summary>The meters exported besides this application's own: the .NET runtime's.</summary>
    private static readonly string[] GlobalMeters = ["System.Runtime"];

    public static IServiceCollection AddHallMonitorMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<HallMetrics>();
        services.AddSingleton<SiloMetrics>();
        services.AddSingleton(sp => new MetricsCollector(sp.GetRequiredService<IMeterFactory>(), GlobalMeters));
        services.AddHostedService<MetricsStartup>();
        return services;
    }

    /// <summary><c>GET /metrics</c>: the Prometheus text exposition (0.0.4) of every instrument.</summary>
    public static IEndpointRouteBuilder MapPrometheusMetrics(this IEndpointRouteBuilder app, string path = "/metrics")
    {
        app.MapGet(path, (MetricsCollector collector) => Results.Text(collector.Scrape(), PrometheusText.ContentType));
        return app;
    }

    /// <summary>Creates the instruments at start-up and seeds their series, so that every hall and matter is exported at zero.</summary>
    private sealed class MetricsStartup(MetricsCollector collector, HallMetrics hall, SiloMetrics silo) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            GC.KeepAlive(silo);
            foreach (var (instrument, tags) in hall.Series())
            {
                collector.Seed(instrument, tags);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
