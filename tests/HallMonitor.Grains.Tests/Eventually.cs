namespace HallMonitor.Grains.Tests;

/// <summary>
/// Repeats a probe until its result is acceptable, for work the grains do on their own (timers, wake-ups)
/// whose end a test cannot await. It never sleeps; it gives up after ten seconds of real time.
/// </summary>
internal static class Eventually
{
    public static async Task<T> Async<T>(Func<Task<T>> probe, Func<T, bool> accept)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (true)
        {
            var result = await probe();
            if (accept(result))
            {
                return result;
            }

            if (Environment.TickCount64 > deadline)
            {
                Assert.Fail($"Still not as expected after 10 s: {result}");
            }

            await Task.Yield();
        }
    }
}
