using System.Diagnostics.Metrics;
using HallMonitor.Grains;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Prometheus;

namespace HallMonitor.Silo;

/// <summary>
/// Serves <c>/metrics</c> with prometheus-net from one registry per host (never the static
/// <see cref="Metrics.DefaultRegistry"/>): the product's own families, prometheus-net's process and GC
/// metrics, and the <see cref="System.Diagnostics.Metrics"/> meters of ASP.NET Core, the .NET runtime and Orleans.
/// </summary>
public static class MetricsHostingExtensions
{
    /// <summary>Process-wide meters exported besides those this host's <see cref="IMeterFactory"/> created (ASP.NET Core's).</summary>
    private static readonly string[] GlobalMeters = ["System.Runtime", "Microsoft.Orleans"];

    /// <summary>
    /// The host's registry and meters. <paramref name="hallFamilies"/>: this process hosts grains and exports the
    /// <c>hallmonitor_*</c> families of the halls active in it; an Orleans client (a web replica) exports only its own.
    /// </summary>
    public static IServiceCollection AddHallMonitorMetrics(this IServiceCollection services, bool hallFamilies = true)
    {
        services.AddMetrics();
        services.AddSingleton(_ => Metrics.NewCustomRegistry());
        if (hallFamilies)
        {
            services.AddSingleton<HallMetrics>();
        }

        services.AddHostedService<MetricsStartup>();
        return services;
    }

    /// <summary><c>GET /metrics</c>: the host's registry in the Prometheus text format (0.0.4), or OpenMetrics when asked for.</summary>
    /// <summary><c>/metrics</c>: with an <c>auth</c> section, for scrape, auditor and admin tokens only.</summary>
    public static IEndpointConventionBuilder MapPrometheusMetrics(this IEndpointRouteBuilder app, string path = "/metrics") =>
        app.MapMetrics(path, app.ServiceProvider.GetRequiredService<CollectorRegistry>()).Requires(Permission.ReadMetrics);

    /// <summary>
    /// Creates the hall families at start-up (seeded at zero for every hall and matter), registers the process
    /// metrics and listens to the meters until the host stops.
    /// </summary>
    private sealed class MetricsStartup(CollectorRegistry registry, IMeterFactory meters, IServiceProvider services) : IHostedService
    {
        /// <summary>Suffixes that only a histogram's samples may carry.</summary>
        private static readonly string[] HistogramSuffixes = ["_count", "_sum", "_bucket"];

        /// <summary>
        /// Kestrel's memory pool meter records every block rented and returned — for the live push one per WebSocket
        /// frame per client — and the adapter takes a lease on its series each time: ~6 % of the server's CPU with
        /// 2,000 clients on a hall (the live push section of bench/README.md). Left out; the process and GC families say as much.
        /// </summary>
        private const string KestrelMemoryPool = "Microsoft.AspNetCore.MemoryPool";

        private IDisposable? _meterAdapter;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            // Created now so that its families are seeded before the first scrape.
            GC.KeepAlive(services.GetService<HallMetrics>());
            DotNetStats.Register(registry);
            _meterAdapter = MeterAdapter.StartListening(new MeterAdapterOptions
            {
                Registry = registry,

                // The adapter writes through MetricFactory, which defaults to the static registry's.
                MetricFactory = Metrics.WithCustomRegistry(registry),

                // Scope: another host in the same process (tests) has meters of the same names.
                InstrumentFilterPredicate = instrument => (instrument.Meter.Scope == meters
                    || (instrument.Meter.Scope is null && GlobalMeters.Contains(instrument.Meter.Name)))
                    && instrument.Meter.Name != KestrelMemoryPool
                    && !ReadsAsHistogramSample(instrument),
                ResolveHistogramBuckets = AdvisedBuckets,
            });
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            _meterAdapter?.Dispose();
            return Task.CompletedTask;
        }

        /// <summary>
        /// The adapter exports every instrument as a gauge or a histogram named after it and cannot rename it; a gauge
        /// whose name ends like a histogram sample (<c>dotnet.timer.count</c>, <c>dotnet.assembly.count</c>, …) fails
        /// <c>promtool check metrics</c>, so those few are left out.
        /// </summary>
        private static bool ReadsAsHistogramSample(Instrument instrument)
        {
            var name = instrument.Name.Replace('.', '_').Replace('-', '_');
            return HistogramSuffixes.Any(suffix => name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>The buckets an instrument advises (ASP.NET Core's request durations do), else the adapter's.</summary>
        private static double[] AdvisedBuckets(Instrument instrument) => instrument switch
        {
            Histogram<double> { Advice.HistogramBucketBoundaries: { Count: > 0 } buckets } => [.. buckets],
            Histogram<long> { Advice.HistogramBucketBoundaries: { Count: > 0 } buckets } => [.. buckets.Select(b => (double)b)],
            Histogram<int> { Advice.HistogramBucketBoundaries: { Count: > 0 } buckets } => [.. buckets.Select(b => (double)b)],
            _ => MeterAdapterOptions.DefaultHistogramBuckets,
        };
    }
}
