using HallMonitor.Grains;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HallMonitor.Silo;

/// <summary>A store that remembers whether its last transaction failed and can try a tiny write to learn whether it works again.</summary>
public interface IWritableStore
{
    /// <summary>Why the last transaction failed, or null once one has committed since.</summary>
    StorageUnavailableException? WriteFailure { get; }

    /// <summary>Commits a tiny write; throws if storage still cannot take it.</summary>
    Task ProbeWriteAsync();
}

/// <summary>
/// Ready when the journal store answers a read within a few seconds and, for a store that writes to a local data
/// folder, takes writes: after a failed transaction (a full or read-only disk) it is unready until a probe write
/// commits, which it tries on every check.
/// </summary>
public sealed class StorageHealthCheck(IJournalStore store, HallCatalog catalog, IEnumerable<IWritableStore> writable) : IHealthCheck
{
    /// <summary>A database that does not answer (a pooled connection to a host gone silent) is unready after this, not after the command timeout.</summary>
    private static readonly TimeSpan AnswerLimit = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var tail = await store.ReadTailAsync(catalog.Halls[0].Id, cancellationToken).WaitAsync(AnswerLimit, cancellationToken);
            foreach (var local in writable)
            {
                if (local.WriteFailure is not null)
                {
                    await local.ProbeWriteAsync().WaitAsync(AnswerLimit, cancellationToken);
                }
            }

            return HealthCheckResult.Healthy($"Journal of '{catalog.Halls[0].Id}' at event {tail.Seq}.");
        }
        catch (StorageUnavailableException unavailable)
        {
            return HealthCheckResult.Unhealthy($"The journal store takes no writes: {unavailable.Reason}.", unavailable);
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

/// <summary>One connection to the Redis that holds the cluster's membership table, for the readiness check.</summary>
public sealed class MembershipStore(StackExchange.Redis.ConfigurationOptions configuration) : IAsyncDisposable
{
    private readonly Lazy<Task<StackExchange.Redis.ConnectionMultiplexer>> _connection =
        new(() => StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(configuration.Clone()));

    /// <summary>Round-trip time of a PING; throws when Redis does not answer.</summary>
    public async Task<TimeSpan> PingAsync() => await (await _connection.Value).GetDatabase().PingAsync();

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated)
        {
            await (await _connection.Value).DisposeAsync();
        }
    }
}

/// <summary>Ready when the membership table's Redis answers: without it no silo can join, leave or be declared dead.</summary>
public sealed class MembershipHealthCheck(MembershipStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var rtt = await store.PingAsync().WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
            return HealthCheckResult.Healthy($"Membership store answers in {rtt.TotalMilliseconds:0.#} ms.");
        }
        catch (Exception exception)
        {
            return HealthCheckResult.Unhealthy("The membership store (Redis) does not answer.", exception);
        }
    }
}
