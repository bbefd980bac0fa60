using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace HallMonitor.Runtime;

/// <summary>Registers the grain runtime with a service collection.</summary>
public static class GrainRuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Adds the grain runtime hosting the grain classes of <paramref name="grainAssemblies"/>, an
    /// <see cref="IGrainFactory"/>, and a hosted service that starts the idle collector and deactivates every
    /// grain on shutdown.
    /// </summary>
    public static IServiceCollection AddGrainRuntime(
        this IServiceCollection services,
        Action<GrainRuntimeOptions>? configure = null,
        params Assembly[] grainAssemblies)
    {
        services.AddOptions<GrainRuntimeOptions>().Configure(options =>
        {
            foreach (var assembly in grainAssemblies)
            {
                options.GrainAssemblies.Add(assembly);
            }

            configure?.Invoke(options);
        });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GrainRuntime>();
        services.TryAddSingleton<IGrainFactory>(sp => sp.GetRequiredService<GrainRuntime>());
        services.AddHostedService<GrainRuntimeHostedService>();
        return services;
    }

    /// <summary>Adds an in-memory grain storage provider under <paramref name="name"/>.</summary>
    public static IServiceCollection AddMemoryGrainStorage(this IServiceCollection services, string name = GrainStorage.DefaultName)
    {
        services.AddKeyedSingleton<IGrainStorage>(name, (_, _) => new MemoryGrainStorage());
        return services;
    }

    private sealed class GrainRuntimeHostedService(GrainRuntime runtime) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            runtime.Start();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => runtime.StopAsync(cancellationToken);
    }
}
