using System.Net.Http.Json;
using HallMonitor.Grains;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace HallMonitor.Web.Tests;

public sealed class SimulationTests
{
    [Fact]
    public async Task Simulate_PlaysTheServiceDayThroughTheApi()
    {
        await using var factory = new SimulationFactory(speed: 600);
        using var client = factory.CreateClient();

        var snapshot = await SnapshotAsync(client);
        for (var waited = 0; snapshot.Kpis.Completed < 5 && waited < 150; waited++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            snapshot = await SnapshotAsync(client);
        }

        var verification = await client.GetFromJsonAsync<JournalVerification>($"{Api.Hall}/journal/verify", Api.Json);
        var simulation = await client.GetFromJsonAsync<SimulationHostingExtensions.SimulationStatus>("/api/simulation", Api.Json);
        var hall = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var before = DateTimeOffset.UtcNow;
        var stamped = (await SnapshotAsync(client)).At;
        var after = DateTimeOffset.UtcNow;
        Assert.True(snapshot.Kpis.Issued > 5, $"issued {snapshot.Kpis.Issued}");
        Assert.True(snapshot.Kpis.Called > 5, $"called {snapshot.Kpis.Called}");
        Assert.True(snapshot.Kpis.Completed >= 5, $"completed {snapshot.Kpis.Completed}");
        Assert.Contains(snapshot.Windows, w => w.State != WindowState.Closed);
        Assert.True(TimeZoneInfo.ConvertTime(snapshot.At, hall).TimeOfDay > new TimeSpan(8, 45, 0), $"simulated time {snapshot.At}");
        Assert.True(verification!.Ok);
        Assert.True(verification.Events > 10, $"events {verification.Events}");
        Assert.Equal(600, simulation!.Speed);

        // The simulated time a snapshot was stamped with, turned back into real time, falls within the request.
        Assert.InRange(simulation.RealTime(stamped), before.AddMilliseconds(-50), after.AddMilliseconds(50));
    }

    [Fact]
    public async Task Simulate_StretchesTheCheckpointPeriodByItsSpeed_UnlessOneIsConfigured()
    {
        await using var simulated = new SimulationFactory(speed: 60);
        await using var configured = new SimulationFactory(speed: 60) { CheckpointPeriod = "00:01:00" };
        using var first = simulated.CreateClient();
        using var second = configured.CreateClient();

        Assert.Equal(TimeSpan.FromMinutes(30), simulated.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ClockOptions>>().Value.CheckpointPeriod);
        Assert.Equal(TimeSpan.FromMinutes(1), configured.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ClockOptions>>().Value.CheckpointPeriod);
    }

    [Fact]
    public async Task NotSimulating_TheBadgeFieldIsEmpty()
    {
        await using var factory = new ApiFactory();
        using var client = factory.CreateClient();

        var simulation = await client.GetFromJsonAsync<SimulationHostingExtensions.SimulationStatus>("/api/simulation", Api.Json);

        Assert.Null(simulation!.Speed);
    }

    [Fact]
    public async Task Simulate_WithAnAuthSection_IsRefusedAtStartUp()
    {
        var auth = new AuthDefinition { Tokens = [AccessFixture.Tokens["kiosk-east"].Definition] };
        await using var factory = new SimulationFactory(speed: 60, auth);

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("HallMonitor:Simulate needs a halls file without an 'auth' section", error.ToString());
    }

    [Fact]
    public async Task Simulate_AsAClientOfACluster_IsRefusedAtStartUp()
    {
        await using var factory = new SimulationFactory(speed: 60) { Silo = "client" };

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("does not drive a cluster (HallMonitor:Silo=client)", error.ToString());
    }

    private static async Task<HallSnapshot> SnapshotAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<HallSnapshot>($"{Api.Hall}/snapshot", Api.Json))!;

    /// <summary>The application simulating at <c>speed</c>, its simulator calling in through the test server.</summary>
    private sealed class SimulationFactory(double speed, AuthDefinition? auth = null) : ApiFactory(auth: auth)
    {
        public string Silo { get; init; } = "embedded";

        public string? CheckpointPeriod { get; init; }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("HallMonitor:Silo", Silo);
            if (CheckpointPeriod is not null)
            {
                builder.UseSetting("HallMonitor:CheckpointPeriod", CheckpointPeriod);
            }

            builder.UseSetting("HallMonitor:Simulate", speed.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.ConfigureServices(services => services.AddSingleton<SimulationClientFactory>(sp => () => ((TestServer)sp.GetRequiredService<IServer>()).CreateClient()));
        }
    }
}
