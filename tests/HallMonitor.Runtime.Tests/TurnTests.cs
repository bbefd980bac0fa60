namespace HallMonitor.Runtime.Tests;

public sealed class TurnTests
{
    [Fact]
    public async Task ConcurrentCallers_NeverOverlapTurns()
    {
        await using var test = new TestRuntime();
        var counter = test.Grain<ICounterGrain>("c");

        var calls = Enumerable.Range(0, 2000).Select(_ => Task.Run(() => counter.IncrementAsync()));
        await Task.WhenAll(calls);

        Assert.Equal(2000, await counter.GetValueAsync());
        Assert.Equal(1, await counter.GetMaxConcurrencyAsync());
    }

    [Fact]
    public async Task CallsFromOneCaller_RunInTheOrderSent()
    {
        await using var test = new TestRuntime();
        var counter = test.Grain<ICounterGrain>("fifo");

        var sent = Enumerable.Range(0, 500).Select(counter.AppendAsync).ToArray();
        await Task.WhenAll(sent);

        Assert.Equal(Enumerable.Range(0, 500), await counter.GetAppendedAsync());
    }

    [Fact]
    public async Task ContinuationsAfterAwait_RunOnTheActivation()
    {
        await using var test = new TestRuntime();
        var counter = test.Grain<ICounterGrain>("ctx");
        var pending = new TaskCompletionSource();

        var call = counter.ContinuesOnActivationAsync(pending.Task);
        _ = Task.Run(pending.SetResult);

        Assert.True(await call);
    }

    [Fact]
    public async Task NonReentrantGrain_HoldsTheActivationAcrossAwaits()
    {
        await using var test = new TestRuntime();
        var grain = test.Grain<IGateGrain>("hold");
        var first = new TaskCompletionSource();

        var one = grain.HoldAsync("one", first.Task);
        var two = grain.HoldAsync("two", Task.CompletedTask);
        await Eventually.TrueAsync(() => test.Log.Entries.Contains("one:start"), "the first call starts");
        Assert.DoesNotContain("two:start", test.Log.Entries);
        first.SetResult();
        await Task.WhenAll(one, two);

        Assert.Equal(["one:start", "one:end", "two:start", "two:end"], test.Log.Entries);
    }

    [Fact]
    public async Task ReentrantGrain_InterleavesAtAwaits()
    {
        await using var test = new TestRuntime();
        var grain = test.Grain<IReentrantGrain>("re");
        var first = new TaskCompletionSource();

        var one = grain.HoldAsync("one", first.Task);
        await grain.HoldAsync("two", Task.CompletedTask);
        first.SetResult();
        await one;

        Assert.Equal(["one:start", "two:start", "two:end", "one:end"], test.Log.Entries);
    }

    [Fact]
    public async Task ReadOnlyCalls_InterleaveWithEachOtherButNotWithWrites()
    {
        await using var test = new TestRuntime();
        var grain = test.Grain<IGateGrain>("ro");
        var readGate = new TaskCompletionSource();

        var read1 = grain.ReadAsync("read1", readGate.Task);
        var read2 = grain.ReadAsync("read2", readGate.Task);
        var write = grain.HoldAsync("write", Task.CompletedTask);
        await Eventually.TrueAsync(() => test.Log.Entries.Count == 2, "both reads start");
        Assert.Equal(["read1:start", "read2:start"], test.Log.Entries);
        readGate.SetResult();
        await Task.WhenAll(read1, read2, write);

        Assert.Equal(["write:start", "write:end"], test.Log.Entries.Skip(4));
    }

    [Fact]
    public async Task AlwaysInterleaveMethod_AnswersACallBackFromABusyGrain()
    {
        await using var test = new TestRuntime();
        var gate = test.Grain<IGateGrain>("loop");

        var answer = await gate.CallBackThroughAsync("relay", interleaving: true);

        Assert.Equal("pong from loop", answer);
    }

    [Fact]
    public async Task CallBackIntoABusyNonReentrantGrain_TimesOut()
    {
        await using var test = new TestRuntime(o => o.CallTimeout = TimeSpan.FromSeconds(5));
        var gate = test.Grain<IGateGrain>("deadlock");

        var call = gate.CallBackThroughAsync("relay2", interleaving: false);
        await Eventually.TrueAsync(
            () =>
            {
                test.Clock.Advance(TimeSpan.FromSeconds(1));
                return call.IsCompleted;
            },
            "the call times out");

        await Assert.ThrowsAsync<TimeoutException>(() => call);

        // The inner calls were made a little later; let their timeouts fire too so that the grains settle.
        await Eventually.TrueAsync(
            () =>
            {
                test.Clock.Advance(TimeSpan.FromSeconds(1));
                return test.Clock.ActiveTimers == 1;
            },
            "only the idle collector's timer is left");
    }

    [Fact]
    public async Task SynchronousCompletion_ReturnsTheResultWithoutQueueing()
    {
        await using var test = new TestRuntime();
        var counter = test.Grain<ICounterGrain>("sync");

        Assert.Equal(5, await counter.AddAsync(5));
        var second = counter.AddAsync(2);

        Assert.True(second.IsCompletedSuccessfully);
        Assert.Equal(7, await second);
    }

    [Fact]
    public async Task ReentrantGrain_WithARequestParkedAtAnAwait_AnswersANewCallWithoutQueueing()
    {
        await using var test = new TestRuntime();
        var grain = test.Grain<IReentrantGrain>("parked");
        await grain.HoldAsync("activate", Task.CompletedTask);
        var first = new TaskCompletionSource();
        var one = grain.HoldAsync("one", first.Task);

        var two = grain.HoldAsync("two", Task.CompletedTask);

        Assert.True(two.IsCompletedSuccessfully);
        first.SetResult();
        await one;
        Assert.Equal(["one:start", "two:start", "two:end", "one:end"], test.Log.Entries.Skip(2));
    }

    [Fact]
    public async Task ValueTaskMethods_AreRoutedLikeTaskMethods()
    {
        await using var test = new TestRuntime();
        var counter = test.Grain<ICounterGrain>("vt");
        await counter.AddAsync(3);

        await counter.ResetAsync();

        Assert.Equal(0, await counter.GetValueAsync());
    }

    [Fact]
    public async Task ManyGrainsAndCallers_EachCountExactly()
    {
        await using var test = new TestRuntime();
        var grains = Enumerable.Range(0, 50).Select(i => test.Grain<ICounterGrain>($"many-{i}")).ToArray();

        await Task.WhenAll(Enumerable.Range(0, 5000).Select(i => Task.Run(() => grains[i % grains.Length].IncrementAsync())));

        foreach (var grain in grains)
        {
            Assert.Equal(100, await grain.GetValueAsync());
        }
    }

    [Fact]
    public async Task GrainReferences_ToTheSameGrainAreEqual()
    {
        await using var test = new TestRuntime();

        var one = test.Grain<ICounterGrain>("same");
        var two = test.Grain<ICounterGrain>("same");

        Assert.Equal(one, two);
        Assert.Equal("counter/same", one.ToString());
        Assert.NotEqual(one, test.Grain<ICounterGrain>("other"));
    }
}
