using System.Globalization;
using HallMonitor.Grains;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace HallMonitor.Web;

/// <summary>Makes <see cref="HttpClient"/>s that reach this process's own public API (the simulator's way in).</summary>
public delegate HttpClient SimulationClientFactory();

/// <summary>
/// The hall-day simulator (<c>HallMonitor:Simulate</c>): a clock running faster than real time, throw-away storage,
/// no command rate limit, and <see cref="HallSimulator"/> driving the halls through the public API.
/// </summary>
public static class SimulationHostingExtensions
{
    /// <summary>When the simulated service day opens, in the local time of the first hall.</summary>
    public static readonly TimeOnly Opening = new(8, 30);

    /// <summary>Call before the other <c>AddHallMonitor…</c>: it overrides the storage and rate-limit keys they read.</summary>
    public static IHostApplicationBuilder AddHallMonitorSimulation(this IHostApplicationBuilder builder)
    {
        var speed = SimulationSpeed(builder.Configuration);
        if (speed == 0)
        {
            return builder;
        }

        if (HallMonitorOptions.Read(builder.Configuration).Silo.Equals("client", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                "HallMonitor:Simulate runs the halls in this process on throw-away storage; it does not drive a cluster (HallMonitor:Silo=client).");
        }

        var overrides = new Dictionary<string, string?>
        {
            [$"{HallMonitorOptions.Section}:Storage"] = "memory",
            [$"{RateLimitOptions.Section}:CommandsPerMinute"] = "0",
        };

        // Checkpoints are a real-time concern (how much a new activation replays), not a domain clock: at ×60 the
        // default 30 s of simulated time would tick every grain twice a real second.
        var checkpointKey = $"{HallMonitorOptions.Section}:{nameof(ClockOptions.CheckpointPeriod)}";
        if (string.IsNullOrWhiteSpace(builder.Configuration[checkpointKey]))
        {
            overrides[checkpointKey] = (ClockOptions.DefaultCheckpointPeriod * speed).ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        }

        builder.Configuration.AddInMemoryCollection(overrides);

        var services = builder.Services;
        services.AddSingleton(sp => new ScaledTimeProvider(OpeningToday(sp.GetRequiredService<HallCatalog>()), speed));
        services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<ScaledTimeProvider>());

        // As Orleans' TestingHost does for a manual clock: the grains (and their timers) on the simulated clock, the
        // silo's own maintenance (membership, messaging timeouts, reminders, collection) on real time.
        services.AddKeyedSingleton(KeyedService.AnyKey, TimeProvider.System);
        services.AddKeyedSingleton(TimeProviderNames.Grains, (sp, _) => sp.GetRequiredService<TimeProvider>());

        services.AddSingleton<SimulationClientFactory>(sp => () => OwnAddressClient(sp.GetRequiredService<IServer>()));
        services.AddHostedService<HallSimulator>();
        return builder;
    }

    /// <summary>
    /// <c>HallMonitor:Simulate</c>: 0 (off, the default) or a speed-up from 1 (a real-time day) to 3600; anything else
    /// stops start-up naming the key.
    /// </summary>
    public static double SimulationSpeed(IConfiguration configuration)
    {
        var key = $"{HallMonitorOptions.Section}:{nameof(HallMonitorOptions.Simulate)}";
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return 0;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var speed) || !(speed == 0 || speed is >= 1 and <= 3600))
        {
            throw new InvalidOperationException($"{key} is '{text}'; it is a speed-up from 1 (real time) to 3600, or 0 to run without simulating.");
        }

        return speed;
    }

    /// <summary>
    /// GET <c>/api/simulation</c>: <c>{speed, start, startedAt}</c> while simulating (the pages' badge; a simulated
    /// instant <c>t</c> happened really at <c>startedAt + (t − start) / speed</c>), <c>{speed: null}</c> otherwise.
    /// </summary>
    public static IEndpointRouteBuilder MapSimulationApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/simulation", (IServiceProvider services) => services.GetService<ScaledTimeProvider>() is { } clock
                ? new SimulationStatus(clock.Speed, clock.Start, clock.StartedAt)
                : new SimulationStatus(null))
            .AllowAnonymous()
            .WithTags("Simulation");
        return app;
    }

    /// <summary>Whether the process is simulating, how fast, and when its simulated clock started (simulated and real).</summary>
    public sealed record SimulationStatus(double? Speed, DateTimeOffset? Start = null, DateTimeOffset? StartedAt = null)
    {
        /// <summary>When a time stamped by the server's clock happened in real time.</summary>
        public DateTimeOffset RealTime(DateTimeOffset at) =>
            Speed is { } speed && Start is { } start && StartedAt is { } startedAt ? startedAt + ((at - start) / speed) : at;
    }

    private static DateTimeOffset OpeningToday(HallCatalog catalog)
    {
        var hall = catalog.Halls[0];
        var today = hall.ServiceDay(TimeProvider.System.GetUtcNow());
        var local = today.ToDateTime(Opening, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, hall.TimeZone.GetUtcOffset(local));
    }

    private static HttpClient OwnAddressClient(IServer server)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.OrderBy(a => a.StartsWith("https:", StringComparison.OrdinalIgnoreCase)).FirstOrDefault()
            ?? throw new InvalidOperationException("The simulator found no address this server listens on.");
        var uri = new UriBuilder(address.Replace("://+", "://localhost").Replace("://*", "://localhost"));
        if (uri.Host is "0.0.0.0" or "[::]")
        {
            uri.Host = "localhost";
        }

        return new HttpClient { BaseAddress = uri.Uri };
    }
}
