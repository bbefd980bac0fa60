using HallMonitor.Grains;

namespace HallMonitor.Web;

/// <summary>
/// The service day of several halls on one clock, the simulator's loop: on every step each hall moves on to the
/// clock's time, the halls side by side and each hall's calls one after another. The product's simulator
/// (<see cref="HallSimulator"/>) plays it in process; the bench's <c>simulate</c> drives any server with it.
/// </summary>
public sealed class SimulatedDay
{
    /// <summary>How far the day moves per step, in simulated time, when the calls keep up.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(20);

    private readonly IReadOnlyList<SimulatedHall> _halls;
    private readonly TimeProvider _clock;
    private long _steps;
    private long _longestSpanTicks;

    /// <summary>Each hall draws from its own generator, seeded from <paramref name="seed"/> in the halls' order.</summary>
    public SimulatedDay(IEnumerable<Hall> halls, Func<Hall, SimulatedApi> api, TimeProvider clock, int seed)
    {
        var seeds = new Random(seed);
        _halls = [.. halls.Select(hall => new SimulatedHall(hall, api(hall), new Random(seeds.Next())))];
        _clock = clock;
    }

    /// <summary>Tickets taken so far, in every hall.</summary>
    public int Issued => _halls.Sum(h => h.Issued);

    /// <summary>Steps played so far.</summary>
    public long Steps => Interlocked.Read(ref _steps);

    /// <summary>
    /// The longest simulated span a step covered since the last call, and resets it: <see cref="Step"/> while the
    /// calls keep up with the clock, more when they do not (windows then act late and visitors arrive in bursts).
    /// </summary>
    public TimeSpan TakeLongestSpan() => TimeSpan.FromTicks(Interlocked.Exchange(ref _longestSpanTicks, 0));

    /// <summary>
    /// Plays the day until every window has closed for it (true), or until the clock reaches <paramref name="until"/>
    /// (false). <paramref name="stepped"/> hears the simulated time of each step once it is played.
    /// </summary>
    public async Task<bool> RunAsync(DateTimeOffset? until, Action<DateTimeOffset>? stepped, CancellationToken cancellationToken)
    {
        var last = _clock.GetUtcNow();
        while (true)
        {
            // Arrivals over the time that really passed: when the calls of a step take longer than a step, the next covers more.
            var now = _clock.GetUtcNow();
            if (now >= until)
            {
                return false;
            }

            var elapsed = now - last;
            last = now;
            var open = await Task.WhenAll(_halls.Select(hall => hall.StepAsync(now, elapsed, cancellationToken)));
            Interlocked.Increment(ref _steps);
            if (elapsed.Ticks > Interlocked.Read(ref _longestSpanTicks))
            {
                Interlocked.Exchange(ref _longestSpanTicks, elapsed.Ticks);
            }

            stepped?.Invoke(now);
            if (!open.Contains(true))
            {
                return true;
            }

            // The next step is due a step after this one began, not a step after it ended.
            var wait = now + Step - _clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _clock, cancellationToken);
            }
        }
    }
}
