using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Dashboard;

namespace HallMonitor.Silo;

/// <summary>
/// The Orleans Dashboard at <c>/dashboard</c>, only when <c>HallMonitor:Dashboard</c> is true: it shows grain
/// state (tickets, clerks) and the cluster's topology, so it is off by default and belongs behind the admin role.
/// </summary>
public static class DashboardHostingExtensions
{
    public const string Key = HallMonitorOptions.Section + ":Dashboard";

    public const string RoutePrefix = "/dashboard";

    /// <summary>Adds the dashboard's collectors to a silo when it is enabled; every silo of a cluster needs them.</summary>
    public static ISiloBuilder AddHallMonitorDashboard(this ISiloBuilder silo)
    {
        // Live log streaming stays off: the logs are not for the dashboard's audience.
        return IsEnabled(silo.Configuration) ? silo.AddDashboard(options => options.HideTrace = true) : silo;
    }

    /// <summary>
    /// Lets an Orleans client (the web edge with <c>HallMonitor:Silo=client</c>) serve the dashboard; it reads
    /// the cluster through the silos' dashboard grains, so the silos must enable it too.
    /// </summary>
    public static IClientBuilder AddHallMonitorDashboard(this IClientBuilder client)
    {
        return IsEnabled(client.Configuration) ? client.AddDashboard(options => options.HideTrace = true) : client;
    }

    /// <summary>
    /// Maps the dashboard's page and API under <c>/dashboard</c> when enabled, for admin tokens only (a browser signs
    /// in through <c>/signin?next=/dashboard/</c>, which leaves the token in a cookie for this path); otherwise the
    /// path stays 404.
    /// </summary>
    public static IEndpointRouteBuilder MapHallMonitorDashboard(this IEndpointRouteBuilder app)
    {
        if (IsEnabled(app.ServiceProvider.GetRequiredService<IConfiguration>()))
        {
            app.MapOrleansDashboard(RoutePrefix).Requires(Permission.ViewDashboard);
        }

        return app;
    }

    private static bool IsEnabled(IConfiguration configuration) => configuration.GetValue<bool>(Key);
}
