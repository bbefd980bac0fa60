namespace HallMonitor.Runtime.Tests;

public sealed class FailureTests
{
    [Fact]
    public async Task ExceptionAfterAwait_ReachesTheCaller()
    {
        await using var test = new TestRuntime();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => test.Grain<IGateGrain>("e").ThrowAsync("boom"));

        Assert.Equal("boom", error.Message);
    }

    [Fact]
    public async Task SynchronousThrow_ReachesTheCallerAsAFaultedTask()
    {
        await using var test = new TestRuntime();

        var call = test.Grain<IGateGrain>("s").ThrowSynchronously("bad argument");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => call);
        Assert.Equal("bad argument", error.Message);
    }

    [Fact]
    public async Task GrainStaysUsable_AfterAMethodThrew()
    {
        await using var test = new TestRuntime();
        var grain = test.Grain<IGateGrain>("after");
        var instance = await grain.GetInstanceAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => grain.ThrowAsync("boom"));

        Assert.Equal(instance, await grain.GetInstanceAsync());
    }

    [Fact]
    public async Task CallThatDoesNotAnswer_TimesOutAfterTheCallTimeout()
    {
        await using var test = new TestRuntime(o => o.CallTimeout = TimeSpan.FromSeconds(30));
        var grain = test.Grain<IGateGrain>("slow");
        var never = new TaskCompletionSource();

        var call = grain.HoldAsync("stuck", never.Task);
        await Eventually.TrueAsync(() => test.Log.Entries.Contains("stuck:start"), "the call starts");
        test.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(call.IsCompleted);
        test.Clock.Advance(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => call);
        Assert.Contains("IGateGrain.HoldAsync", error.Message);
        never.SetResult();
    }

    [Fact]
    public async Task QueuedCallThatTimedOut_NeverRuns()
    {
        await using var test = new TestRuntime(o => o.CallTimeout = TimeSpan.FromSeconds(30));
        var grain = test.Grain<IGateGrain>("queued");
        var gate = new TaskCompletionSource();

        var first = grain.HoldAsync("first", gate.Task);
        await Eventually.TrueAsync(() => test.Log.Entries.Contains("first:start"), "the first call starts");
        var second = grain.HoldAsync("second", Task.CompletedTask);
        test.Clock.Advance(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAsync<TimeoutException>(() => first);
        await Assert.ThrowsAsync<TimeoutException>(() => second);
        gate.SetResult();
        await grain.GetInstanceAsync();

        Assert.DoesNotContain("second:start", test.Log.Entries);
    }

    [Fact]
    public async Task FailedActivation_FailsTheCallAndTheNextCallActivatesAfresh()
    {
        await using var test = new TestRuntime();
        var grain = test.Grain<IFailingGrain>("f");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.HelloAsync());
        Assert.Equal("storage unavailable", error.Message);

        Assert.Equal("hello", await grain.HelloAsync());
    }
}
