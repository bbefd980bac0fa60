namespace HallMonitor.Grains.Tests;

/// <summary>The Erlang-C model against values worked by hand and against the closed formula computed independently.</summary>
public sealed class ErlangCTests
{
    [Fact]
    public void WaitProbability_TwoErlangsOnThreeWindows_IsFourNinths()
    {
        // B(1) = 2/3, B(2) = 2/5, B(3) = 4/19; C = 3·B / (3 − 2·(1 − B)) = 4/9.
        Assert.Equal(4.0 / 9, ErlangC.WaitProbability(3, 2), 12);
    }

    [Fact]
    public void WaitProbability_OnOneWindow_IsTheUtilisation()
    {
        Assert.Equal(0.75, ErlangC.WaitProbability(1, 0.75), 12);
    }

    [Theory]
    [InlineData(2, 1.5)]
    [InlineData(5, 3.2)]
    [InlineData(10, 8.9)]
    [InlineData(25, 20)]
    [InlineData(40, 39.5)]
    public void WaitProbability_MatchesTheClosedFormula(int windows, double load)
    {
        Assert.Equal(ClosedFormula(windows, load), ErlangC.WaitProbability(windows, load), 9);
    }

    [Fact]
    public void WaitProbability_StaysExactWhereFactorialsOverflow()
    {
        // 400! overflows a double; the closed formula in logarithms does not.
        Assert.Equal(ClosedFormula(420, 400), ErlangC.WaitProbability(420, 400), 9);
    }

    [Fact]
    public void WaitProbability_IsOneWhenTheLoadReachesTheWindows()
    {
        Assert.Equal(1, ErlangC.WaitProbability(3, 3));
        Assert.Equal(1, ErlangC.WaitProbability(3, 4.5));
        Assert.Equal(0, ErlangC.WaitProbability(3, 0));
    }

    [Fact]
    public void ServiceLevel_OnOneWindow_IsTheMM1WaitDistribution()
    {
        // λ = 3/h, h = 15 min: ρ = 0.75, μ − λ = 1/h; P(W ≤ 1 h) = 1 − 0.75·e^(−1).
        Assert.Equal(1 - 0.75 * Math.Exp(-1), ErlangC.ServiceLevel(1, 3, 900, 3600), 12);
    }

    [Theory]
    [InlineData(0, 3)]     // C(2, 1) = 1/3 > 0.1, C(3, 1) = 1/11
    [InlineData(600, 3)]   // two windows: 1 − e^(−1)/3 = 0.877
    [InlineData(1200, 2)]  // two windows: 1 − e^(−2)/3 = 0.955
    public void WindowsNeeded_OneErlang_DependsOnTheTarget(int target, int expected)
    {
        // Six arrivals an hour, ten minutes each: one Erlang.
        Assert.Equal(expected, ErlangC.WindowsNeeded(6, 600, target, 0.9));
    }

    [Fact]
    public void WindowsNeeded_IsTheFewestThatReachTheShare()
    {
        var needed = ErlangC.WindowsNeeded(100, 300, 600, 0.9);

        Assert.True(ErlangC.ServiceLevel(needed, 100, 300, 600) >= 0.9);
        Assert.True(ErlangC.ServiceLevel(needed - 1, 100, 300, 600) < 0.9);
        Assert.True(needed > 100 * 300 / 3600.0);
    }

    [Fact]
    public void WindowsNeeded_AlwaysExceedsTheLoad_EvenWithAGenerousTarget()
    {
        // 2.5 Erlangs: a day-long target is met at once, but a line with fewer than 3 windows grows without end.
        Assert.Equal(3, ErlangC.WindowsNeeded(30, 300, 86_400, 0.9));
    }

    [Fact]
    public void WindowsNeeded_NoArrivals_NeedsNoWindow()
    {
        Assert.Equal(0, ErlangC.WindowsNeeded(0, 600, 1800, 0.9));
    }

    // C(c, a) = (a^c/c!·c/(c−a)) / (Σ over k below c of a^k/k! + a^c/c!·c/(c−a)), in logarithms so that large c fit.
    private static double ClosedFormula(int c, double a)
    {
        double LogTerm(int k) => k * Math.Log(a) - Enumerable.Range(1, k).Sum(i => Math.Log(i));
        var top = LogTerm(c) + Math.Log(c / (c - a));
        var terms = Enumerable.Range(0, c).Select(LogTerm).Append(top).ToList();
        var max = terms.Max();
        return Math.Exp(top - max) / terms.Sum(t => Math.Exp(t - max));
    }
}
