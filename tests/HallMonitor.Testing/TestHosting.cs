using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace HallMonitor.Testing;

/// <summary>How the test suites host the product's co-hosted silo.</summary>
public static class TestHosting
{
    /// <summary>
    /// Puts the grains and their timers on <paramref name="clock"/> and keeps Orleans' background areas
    /// (membership, messaging timeouts, activation collection) on the system clock, so that moving the
    /// hall's time neither times out calls nor evicts the silo.
    /// </summary>
    public static IServiceCollection UseManualClock(this IServiceCollection services, TimeProvider clock)
    {
        services.AddSingleton(clock);
        services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
        return services;
    }

    /// <summary>Gives the co-hosted silo ports of its own, so that test hosts can run side by side.</summary>
    public static IWebHostBuilder UseFreeSiloPorts(this IWebHostBuilder builder)
    {
        foreach (var (key, value) in FreePort.SiloPorts())
        {
            builder.UseSetting(key, value);
        }

        return builder;
    }
}
