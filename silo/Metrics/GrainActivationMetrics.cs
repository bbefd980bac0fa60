using HallMonitor.Runtime;
using Microsoft.Extensions.Hosting;
using Prometheus;

namespace HallMonitor.Silo;

/// <summary>
/// <c>hallmonitor_grain_activations{type}</c>: live activations per grain type, read from the grain runtime
/// when scraped. It goes with the runtime of our own (Orleans' meter reports its activations): removing it is
/// removing its line in <see cref="MetricsHostingExtensions.AddHallMonitorMetrics"/>.
/// </summary>
internal sealed class GrainActivationMetrics(CollectorRegistry registry, GrainRuntime runtime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var activations = Metrics.WithCustomRegistry(registry).CreateGauge("hallmonitor_grain_activations", "Live grain activations per grain type.", ["type"]);
        registry.AddBeforeCollectCallback(() =>
        {
            var counts = runtime.CountActivationsByType();
            foreach (var gone in activations.GetAllLabelValues().Where(labels => !counts.ContainsKey(labels[0])))
            {
                activations.RemoveLabelled(gone);
            }

            foreach (var (type, count) in counts)
            {
                activations.WithLabels(type).Set(count);
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
