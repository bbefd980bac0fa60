using System.Net;
using HallMonitor.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using StackExchange.Redis;

namespace HallMonitor.Silo;

/// <summary>
/// How a process joins the hall network: a single silo on localhost, or a cluster whose membership table and
/// reminders live in Redis; and, for a web replica that hosts no grains, an Orleans client of that cluster.
/// </summary>
public static partial class ClusterHostingExtensions
{
    /// <summary>How long a stopping silo's gateway gives its clients to move to another gateway (cluster only).</summary>
    public static readonly TimeSpan GatewayDrain = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The web process's Orleans side: a co-hosted silo (<c>HallMonitor:Silo=embedded</c>, the default) or a client
    /// of the cluster (<c>client</c>). Either way the web edge talks to grains only through <see cref="IGrainFactory"/>.
    /// </summary>
    public static IHostApplicationBuilder AddHallMonitorOrleans(this IHostApplicationBuilder builder)
    {
        var options = HallMonitorOptions.Read(builder.Configuration);
        return options.Silo.ToLowerInvariant() switch
        {
            "embedded" => builder.AddHallMonitorSilo(),
            "client" => builder.AddHallMonitorClient(),
            _ => throw new InvalidOperationException($"HallMonitor:Silo '{options.Silo}' is not supported; use 'embedded' or 'client'."),
        };
    }

    /// <summary>
    /// An Orleans client of the cluster: finds the silos' gateways through the membership table, keeps trying
    /// while none answers, and serves <c>/readyz</c> once every hall answers through it.
    /// </summary>
    public static IHostApplicationBuilder AddHallMonitorClient(this IHostApplicationBuilder builder)
    {
        var options = HallMonitorOptions.Read(builder.Configuration);
        var services = builder.Services;
        services.AddOptions<HallMonitorOptions>().BindConfiguration(HallMonitorOptions.Section);
        services.AddSingleton(HallCatalog.Load(SiloHostingExtensions.ResolveHallsFile(options.HallsFile, builder.Environment.ContentRootPath)));
        services.AddHallMonitorMetrics(hallFamilies: false);
        builder.UseOrleansClient(client =>
        {
            switch (options.Clustering.ToLowerInvariant())
            {
                case "localhost":
                    client.UseLocalhostClustering(options.GatewayPort, options.ServiceId, options.ClusterId);
                    break;
                case "redis":
                    var redis = RedisConfiguration(options);
                    client.UseRedisClustering(clustering => clustering.ConfigurationOptions = redis);
                    client.Configure<ClusterOptions>(cluster =>
                    {
                        cluster.ClusterId = options.ClusterId;
                        cluster.ServiceId = options.ServiceId;
                    });
                    break;
                default:
                    throw UnknownClustering(options);
            }

            client.Configure<ClientMessagingOptions>(messaging => messaging.ResponseTimeout = options.ResponseTimeout);

            // Learn of silos that joined (a rolling update's new pods) sooner than Orleans' default minute.
            client.Configure<GatewayOptions>(gateways => gateways.GatewayListRefreshPeriod = TimeSpan.FromSeconds(10));
            client.UseConnectionRetryFilter<KeepTryingToConnect>();
            client.AddHallMonitorDashboard();
        });
        services.AddHealthChecks().AddCheck<GrainsHealthCheck>("grains", tags: ["ready"]);
        return builder;
    }

    /// <summary>The silo's membership, endpoints and reminders for <c>HallMonitor:Clustering</c>.</summary>
    internal static void UseHallMonitorClustering(this ISiloBuilder silo, HallMonitorOptions options)
    {
        switch (options.Clustering.ToLowerInvariant())
        {
            case "localhost":
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
                silo.UseInMemoryReminderService();
                break;
            case "redis":
                var redis = RedisConfiguration(options);
                silo.UseRedisClustering(clustering => clustering.ConfigurationOptions = redis);

                // Durable reminders: the hall's wake reminder fires on a surviving silo when the one holding it dies.
                silo.UseRedisReminderService(reminders => reminders.ConfigurationOptions = redis);
                silo.Configure<ClusterOptions>(cluster =>
                {
                    cluster.ClusterId = options.ClusterId;
                    cluster.ServiceId = options.ServiceId;
                });
                var advertised = options.AdvertisedIP is { Length: > 0 } ip ? IPAddress.Parse(ip) : IPAddress.Loopback;
                silo.ConfigureEndpoints(advertised, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: options.AdvertisedIP is { Length: > 0 });
                silo.Configure<ClusterMembershipOptions>(membership =>
                {
                    membership.ProbeTimeout = options.ProbeTimeout;
                    membership.NumMissedProbesLimit = options.MissedProbesLimit;
                });

                // A stopping silo tells the clients connected to its gateway to send elsewhere, then waits this long
                // before it deactivates its grains (Orleans waits not at all by default): requests already on their
                // way through it are answered, and new ones go through another gateway. A single silo has no other
                // gateway to send to, so only a cluster waits.
                silo.Configure<SiloMessagingOptions>(messaging => messaging.ClientGatewayShutdownNotificationTimeout = GatewayDrain);
                silo.Services.AddSingleton(new MembershipStore(redis));
                silo.Services.AddHealthChecks().AddCheck<MembershipHealthCheck>("membership", tags: ["ready"]);
                break;
            default:
                throw UnknownClustering(options);
        }

        if (options.SiloName is { Length: > 0 } name)
        {
            silo.Configure<SiloOptions>(silo => silo.SiloName = name);
        }
    }

    private static ConfigurationOptions RedisConfiguration(HallMonitorOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Redis))
        {
            throw new InvalidOperationException("HallMonitor:Clustering 'redis' needs HallMonitor:Redis, a StackExchange.Redis connection string such as '127.0.0.1:6379'.");
        }

        var configuration = ConfigurationOptions.Parse(options.Redis);

        // Redis briefly away must not stop a silo from starting or keep it from reconnecting later.
        configuration.AbortOnConnectFail = false;
        return configuration;
    }

    private static InvalidOperationException UnknownClustering(HallMonitorOptions options) =>
        new($"HallMonitor:Clustering '{options.Clustering}' is not supported; use 'localhost' or 'redis'.");

    /// <summary>A web replica started before the silos keeps trying to reach them instead of failing its start.</summary>
    private sealed partial class KeepTryingToConnect(ILogger<KeepTryingToConnect> logger) : IClientConnectionRetryFilter
    {
        public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
        {
            LogNoCluster(logger, exception.Message);
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            return !cancellationToken.IsCancellationRequested;
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "No silo of the cluster answers yet ({Reason}); trying again in 2 s")]
        private static partial void LogNoCluster(ILogger logger, string reason);
    }
}
