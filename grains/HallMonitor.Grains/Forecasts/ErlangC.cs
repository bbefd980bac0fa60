namespace HallMonitor.Grains;

/// <summary>
/// The Erlang-C queue (M/M/c): Poisson arrivals at rate λ, exponential services of mean h, c windows serving one
/// line. Used to say how many windows call a share of the tickets within a wait target.
/// </summary>
public static class ErlangC
{
    /// <summary>More windows than any hall has: the search gives up there rather than loop on absurd input.</summary>
    public const int MaxWindows = 1000;

    /// <summary>
    /// The probability that an arrival waits at all, C(c, a), for <paramref name="windows"/> windows and an offered
    /// load <paramref name="load"/> a = λ·h (in Erlangs); 1 when the load is not below the windows (the line grows
    /// without end). Computed through the Erlang-B recursion B(k) = a·B(k−1) / (k + a·B(k−1)), which never forms a
    /// factorial or a power, so it stays exact for hundreds of windows.
    /// </summary>
    public static double WaitProbability(int windows, double load)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(windows);
        ArgumentOutOfRangeException.ThrowIfNegative(load);
        if (load == 0)
        {
            return 0;
        }

        if (windows <= load)
        {
            return 1;
        }

        var blocking = 1.0;
        for (var k = 1; k <= windows; k++)
        {
            blocking = load * blocking / (k + load * blocking);
        }

        return windows * blocking / (windows - load * (1 - blocking));
    }

    /// <summary>
    /// The share of arrivals called within <paramref name="targetSeconds"/>: P(W ≤ t) = 1 − C(c, a)·e^(−(c·μ − λ)·t),
    /// with μ = 1/h; 0 when the windows cannot keep up (c ≤ a).
    /// </summary>
    public static double ServiceLevel(int windows, double arrivalsPerHour, double handleSeconds, double targetSeconds)
    {
        var lambda = arrivalsPerHour / 3600;
        var load = lambda * handleSeconds;
        if (load == 0)
        {
            return 1;
        }

        if (windows <= load)
        {
            return 0;
        }

        var mu = 1 / handleSeconds;
        return 1 - WaitProbability(windows, load) * Math.Exp(-(windows * mu - lambda) * targetSeconds);
    }

    /// <summary>
    /// The fewest windows (more than the offered load) that call at least <paramref name="share"/> of the arrivals
    /// within <paramref name="targetSeconds"/>; 0 when nothing arrives.
    /// </summary>
    public static int WindowsNeeded(double arrivalsPerHour, double handleSeconds, double targetSeconds, double share)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(arrivalsPerHour);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(handleSeconds);
        ArgumentOutOfRangeException.ThrowIfNegative(targetSeconds);
        if (share is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(share), share, "The share is between 0 and 1.");
        }

        var load = arrivalsPerHour / 3600 * handleSeconds;
        if (load == 0)
        {
            return 0;
        }

        for (var windows = (int)Math.Floor(load) + 1; windows <= MaxWindows; windows++)
        {
            if (ServiceLevel(windows, arrivalsPerHour, handleSeconds, targetSeconds) >= share)
            {
                return windows;
            }
        }

        return MaxWindows;
    }
}
