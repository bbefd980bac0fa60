using HallMonitor.Grains;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HallMonitor.Silo;

/// <summary>Ready when the journal store answers a read within a few seconds.</summary>
public sealed class StorageHealthCheck(IJournalStore store, HallCatalog catalog) : IHealthCheck
{
    /// <summary>A database that does not answer (a pooled connection to a host gone silent) is unready after this, not after the command timeout.</summary>
    private static readonly TimeSpan AnswerLimit = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var tail = await store.ReadTailAsync(catalog.Halls[0].Id, cancellationToken).WaitAsync(AnswerLimit, cancellationToken);
            return HealthCheckResult.Healthy($"Journal of '{catalog.Halls[0].Id}' at event {tail.Seq}.");
        }
        catch (Exception exception)
        {
            return HealthCheckResult.Unhealthy("The journal store does not answer.", exception);
        }
    }
}

/// <summary>Ready when every hall grain answers.</summary>
public sealed class GrainsHealthCheck(IGrainFactory grains, HallCatalog catalog) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            foreach (var hall in catalog.Halls)
            {
                await grains.GetHall(hall.Id).EnsureActiveAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            }

            return HealthCheckResult.Healthy($"{catalog.Halls.Count} halls active.");
        }
        catch (Exception exception)
        {
            return HealthCheckResult.Unhealthy("The hall grains do not answer.", exception);
        }
    }
}

/// <summary>The health endpoints every HallMonitor process serves.</summary>
public static class HealthEndpoints
{
    /// <summary><c>/healthz</c>: the process is up. <c>/readyz</c>: the journal store and every hall grain answer.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }
}
