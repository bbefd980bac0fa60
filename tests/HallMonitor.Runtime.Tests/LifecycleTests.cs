namespace HallMonitor.Runtime.Tests;

public sealed class LifecycleTests
{
    [Fact]
    public async Task IdleActivation_IsDeactivatedAfterTheIdleTimeout()
    {
        await using var test = new TestRuntime(o => o.IdleTimeout = TimeSpan.FromMinutes(15));
        var grain = test.Grain<IProfileGrain>("idle");
        await grain.VisitAsync("Li Shujun");

        test.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(1, test.Runtime.ActivationCount);
        test.Clock.Advance(TimeSpan.FromMinutes(2));
        await Eventually.TrueAsync(() => test.Runtime.ActivationCount == 0, "the idle grain is collected");

        Assert.Contains("deactivate:idle:IdleCollection", test.Log.Entries);
    }

    [Fact]
    public async Task ReactivatedGrain_ReadsItsPersistedState()
    {
        await using var test = new TestRuntime();
        var grain = test.Grain<IProfileGrain>("p");
        await grain.VisitAsync("Li Shujun");
        await grain.VisitAsync("Li Shujun");

        test.Clock.Advance(TimeSpan.FromMinutes(17));
        await Eventually.TrueAsync(() => test.Runtime.ActivationCount == 0, "the idle grain is collected");
        var state = await grain.GetAsync();

        Assert.Equal(2, state.Visits);
        Assert.Equal("Li Shujun", state.Name);
        Assert.Equal(["activate:p:0", "deactivate:p:IdleCollection", "activate:p:2"], test.Log.Entries);
    }

    [Fact]
    public async Task RecentlyCalledGrain_IsNotCollected()
    {
        await using var test = new TestRuntime(o => o.IdleTimeout = TimeSpan.FromMinutes(15));
        var grain = test.Grain<IProfileGrain>("busy");

        for (var minute = 0; minute < 40; minute += 5)
        {
            await grain.GetAsync();
            test.Clock.Advance(TimeSpan.FromMinutes(5));
        }

        Assert.Equal(1, test.Runtime.ActivationCount);
        Assert.Equal(["activate:busy:0"], test.Log.Entries);
    }

    [Fact]
    public async Task DeactivateOnIdle_GivesANewActivationOnTheNextCall()
    {
        await using var test = new TestRuntime();
        var grain = test.Grain<IGateGrain>("d");
        var before = await grain.GetInstanceAsync();

        await grain.DeactivateAsync();
        await Eventually.TrueAsync(() => test.Runtime.ActivationCount == 0, "the grain deactivates");

        Assert.NotEqual(before, await grain.GetInstanceAsync());
    }

    [Fact]
    public async Task CallsArrivingDuringDeactivation_ReachTheNextActivation()
    {
        await using var test = new TestRuntime();
        var grain = test.Grain<IGateGrain>("forward");
        var first = await grain.GetInstanceAsync();

        var deactivate = grain.DeactivateAsync();
        var next = Enumerable.Range(0, 20).Select(_ => grain.GetInstanceAsync()).ToArray();
        await deactivate;
        var instances = await Task.WhenAll(next);

        Assert.All(instances, i => Assert.NotEqual(first, i));
        Assert.Single(instances.Distinct());
    }

    [Fact]
    public async Task ReentrantGrainAskedToDeactivate_StillServesTheCallBackItsRequestWaitsFor()
    {
        await using var test = new TestRuntime();
        var grain = test.Grain<IReentrantGrain>("r");

        var answer = await grain.DeactivateAwaitingACallBackAsync("relay").WaitAsync(TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => test.Runtime.ActivationCount == 1, "the reentrant grain deactivates afterwards");

        Assert.Equal("back", answer);
    }

    [Fact]
    public async Task StopAsync_DeactivatesEveryGrain()
    {
        var test = new TestRuntime();
        await test.Grain<IProfileGrain>("a").GetAsync();
        await test.Grain<IProfileGrain>("b").GetAsync();

        await test.DisposeAsync();

        Assert.Contains("deactivate:a:ShuttingDown", test.Log.Entries);
        Assert.Contains("deactivate:b:ShuttingDown", test.Log.Entries);
    }
}
