namespace HallMonitor.Runtime.Tests;

public sealed class TimerTests
{
    [Fact]
    public async Task Timer_TicksEveryPeriod()
    {
        await using var test = new TestRuntime();
        var grain = test.Grain<IGateGrain>("t");
        await grain.StartTimerAsync(TimeSpan.FromSeconds(10), null);

        test.Clock.Advance(TimeSpan.FromSeconds(10));
        await grain.GetInstanceAsync();
        test.Clock.Advance(TimeSpan.FromSeconds(10));
        await grain.GetInstanceAsync();
        test.Clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(3, await grain.GetTicksAsync());
    }

    [Fact]
    public async Task TimerTick_WaitsForTheRequestInFlight()
    {
        await using var test = new TestRuntime();
        var grain = test.Grain<IGateGrain>("turns");
        await grain.StartTimerAsync(TimeSpan.FromSeconds(10), null);
        var gate = new TaskCompletionSource();

        var hold = grain.HoldAsync("request", gate.Task);
        await Eventually.TrueAsync(() => test.Log.Entries.Contains("request:start"), "the request starts");
        test.Clock.Advance(TimeSpan.FromSeconds(10));
        gate.SetResult();
        await hold;
        await grain.GetInstanceAsync();

        Assert.Equal(["request:start", "request:end", "tick1:start", "tick1:end"], test.Log.Entries);
    }

    [Fact]
    public async Task SlowCallback_IsNeverOverlappedByTheNextTick()
    {
        await using var test = new TestRuntime();
        var grain = test.Grain<IGateGrain>("slow-tick");
        var callbackGate = new TaskCompletionSource();
        await grain.StartTimerAsync(TimeSpan.FromSeconds(10), callbackGate.Task);

        test.Clock.Advance(TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => test.Log.Entries.Contains("tick1:start"), "the first tick starts");
        test.Clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(["tick1:start"], test.Log.Entries);

        callbackGate.SetResult();
        await grain.GetInstanceAsync();
        Assert.Equal(["tick1:start", "tick1:end"], test.Log.Entries);
        test.Clock.Advance(TimeSpan.FromSeconds(10));
        await grain.GetInstanceAsync();

        Assert.Equal(["tick1:start", "tick1:end", "tick2:start", "tick2:end"], test.Log.Entries);
    }

    [Fact]
    public async Task DisposedTimer_NoLongerTicks()
    {
        await using var test = new TestRuntime();
        var grain = test.Grain<IGateGrain>("stop");
        await grain.StartTimerAsync(TimeSpan.FromSeconds(10), null);
        test.Clock.Advance(TimeSpan.FromSeconds(10));
        await grain.GetInstanceAsync();

        await grain.StopTimerAsync();
        test.Clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(1, await grain.GetTicksAsync());
    }

    [Fact]
    public async Task Timer_DiesWithItsActivation()
    {
        await using var test = new TestRuntime();
        var grain = test.Grain<IGateGrain>("dies");
        await grain.StartTimerAsync(TimeSpan.FromSeconds(10), null);

        await grain.DeactivateAsync();
        await Eventually.TrueAsync(() => test.Runtime.ActivationCount == 0, "the grain deactivates");
        test.Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(0, test.Runtime.ActivationCount);
        Assert.Equal(0, await grain.GetTicksAsync());
    }
}
