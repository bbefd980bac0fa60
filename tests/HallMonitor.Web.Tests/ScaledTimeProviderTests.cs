using System.Diagnostics;
using HallMonitor.Silo;
using HallMonitor.Testing;
using Microsoft.Extensions.Configuration;

namespace HallMonitor.Web.Tests;

public sealed class ScaledTimeProviderTests
{
    private static readonly DateTimeOffset Opening = new(2026, 11, 27, 8, 30, 0, TimeSpan.FromHours(8));

    [Fact]
    public void Now_AdvancesSpeedTimesFasterThanRealTime()
    {
        var real = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var clock = new ScaledTimeProvider(Opening, 60, real);
        var before = clock.GetTimestamp();

        real.Advance(TimeSpan.FromSeconds(90));

        Assert.Equal(Opening + TimeSpan.FromMinutes(90), clock.GetUtcNow());
        Assert.Equal(TimeSpan.FromMinutes(90), clock.GetElapsedTime(before));
    }

    [Fact]
    public void Timer_FiresAfterItsDueTimeAndPeriodDividedByTheSpeed()
    {
        var real = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var clock = new ScaledTimeProvider(Opening, 60, real);
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2));

        real.Advance(TimeSpan.FromMilliseconds(900));
        var beforeDue = fired;
        real.Advance(TimeSpan.FromMilliseconds(100));
        var atDue = fired;
        real.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal((0, 1, 2), (beforeDue, atDue, fired));
    }

    [Fact]
    public void Change_ScalesTheNewDueTime()
    {
        var real = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var clock = new ScaledTimeProvider(Opening, 600, real);
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        timer.Change(TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);
        real.Advance(TimeSpan.FromSeconds(5.9));
        var beforeDue = fired;
        real.Advance(TimeSpan.FromSeconds(0.1));

        Assert.Equal((0, 1), (beforeDue, fired));
    }

    [Fact]
    public async Task Delay_OnTheSystemClock_TakesTheSimulatedSpanDividedByTheSpeed()
    {
        var clock = new ScaledTimeProvider(Opening, 600);
        var real = Stopwatch.StartNew();

        await Task.Delay(TimeSpan.FromMinutes(2), clock);

        Assert.InRange(real.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(3));
        // The system's timers may fire a few milliseconds early (a coarse tick count): seconds at ×600.
        var simulated = clock.GetUtcNow() - Opening;
        Assert.InRange(simulated, TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(15), (real.Elapsed * 600) + TimeSpan.FromSeconds(60));
    }

    [Theory]
    [InlineData("0.5")]
    [InlineData("3601")]
    [InlineData("-60")]
    [InlineData("fast")]
    public void Simulate_OutsideOneTo3600_StopsStartUpNamingTheKey(string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["HallMonitor:Simulate"] = value }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => SimulationHostingExtensions.SimulationSpeed(configuration));

        Assert.Contains("HallMonitor:Simulate", error.Message);
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData("0", 0)]
    [InlineData("1", 1)]
    [InlineData("60", 60)]
    [InlineData("3600", 3600)]
    public void Simulate_IsOffOrASpeedUp(string? value, double speed)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["HallMonitor:Simulate"] = value }).Build();

        Assert.Equal(speed, SimulationHostingExtensions.SimulationSpeed(configuration));
    }
}
