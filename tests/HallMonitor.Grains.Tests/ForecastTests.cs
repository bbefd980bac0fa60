namespace HallMonitor.Grains.Tests;

/// <summary>Staffing advice learnt from the journal: arrival rates by weekday and hour, their fallbacks, handling times, sectors.</summary>
public sealed class ForecastTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    /// <summary>Monday 9 November 2026, 08:00 in Shanghai: two weeks before the fixture's usual Monday.</summary>
    private static readonly DateTimeOffset TwoWeeksBefore = new(2026, 11, 9, 8, 0, 0, China);

    [Fact]
    public async Task Forecast_LearnsTheSameWeekdayAndHour_FromThePastWeeks()
    {
        await using var hall = await HallFixture.StartAsync(now: TwoWeeksBefore);
        await IssueAtAsync(hall, new(2026, 11, 9, 9, 10, 0, China), ("BIZ-REG", 4), ("TAX-INV", 2));
        await IssueAtAsync(hall, new(2026, 11, 10, 9, 10, 0, China), ("BIZ-REG", 10));
        await IssueAtAsync(hall, new(2026, 11, 16, 9, 10, 0, China), ("BIZ-REG", 6));
        await GoToAsync(hall, new(2026, 11, 23, 8, 30, 0, China));

        var forecast = await hall.Grains.GetGrain<IForecastGrain>(HallFixture.HallId).GetForecastAsync(2);

        var bizReg = forecast.Matters.Single(m => m.Matter == "BIZ-REG");
        Assert.Equal(
            [(new DateTimeOffset(2026, 11, 23, 8, 0, 0, China), 0.0, ArrivalBasis.Weekday, 2), (new DateTimeOffset(2026, 11, 23, 9, 0, 0, China), 5.0, ArrivalBasis.Weekday, 2)],
            bizReg.Staffing.Select(h => (h.From, h.ArrivalsPerHour, h.Basis, h.Days)));
        Assert.Equal([0, 3], bizReg.Staffing.Select(h => h.WindowsNeeded));
        Assert.Equal((1200.0, HandleBasis.Target), (bizReg.HandleSeconds, bizReg.HandleBasis));
        Assert.Equal(1.0, forecast.Matters.Single(m => m.Matter == "TAX-INV").Staffing[1].ArrivalsPerHour);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 0, 0, China), bizReg.Staffing[1].To);
    }

    [Fact]
    public async Task Forecast_WithoutThisWeekdayInTheHistory_LearnsFromAllPastDays()
    {
        await using var hall = await HallFixture.StartAsync(now: new DateTimeOffset(2026, 11, 24, 8, 0, 0, China));
        await IssueAtAsync(hall, new(2026, 11, 24, 10, 5, 0, China), ("TAX-INV", 3));
        await IssueAtAsync(hall, new(2026, 11, 25, 10, 5, 0, China), ("TAX-INV", 5));
        await GoToAsync(hall, new(2026, 11, 26, 10, 0, 0, China));

        var hour = (await hall.Grains.GetGrain<IForecastGrain>(HallFixture.HallId).GetForecastAsync(1)).Matters.Single(m => m.Matter == "TAX-INV").Staffing.Single();

        Assert.Equal((4.0, ArrivalBasis.AllDays, 2), (hour.ArrivalsPerHour, hour.Basis, hour.Days));
        Assert.Equal(ErlangC.WindowsNeeded(4, 600, 1200, 0.9), hour.WindowsNeeded);
    }

    [Fact]
    public async Task Forecast_OnTheFirstDay_SaysItKnowsNothing_ThenUsesTodaysRateAndServices()
    {
        await using var hall = await HallFixture.StartAsync();
        var grain = hall.Grains.GetGrain<IForecastGrain>(HallFixture.HallId);
        var before = (await grain.GetForecastAsync(1)).Matters.Single(m => m.Matter == "TAX-INV").Staffing.Single();

        for (var i = 0; i < 3; i++)
        {
            await hall.IssueAsync("TAX-INV");
        }

        await hall.OpenAsync("04");
        await hall.ServeNextAsync("04", TimeSpan.FromMinutes(10));
        hall.Clock.AdvanceTo(HallFixture.Morning.AddMinutes(50));
        var after = (await grain.GetForecastAsync(1)).Matters.Single(m => m.Matter == "TAX-INV");

        Assert.Equal((0.0, ArrivalBasis.None, (int?)null), (before.ArrivalsPerHour, before.Basis, before.WindowsNeeded));
        var hour = after.Staffing.Single();
        Assert.Equal((3.6, ArrivalBasis.Today, 1), (hour.ArrivalsPerHour, hour.Basis, hour.Days));
        Assert.Equal((600.0, HandleBasis.Recent), (after.HandleSeconds, after.HandleBasis));
        Assert.Equal(ErlangC.WindowsNeeded(3.6, 600, 1200, 0.9), hour.WindowsNeeded);
        Assert.Equal((2, 1), (after.Waiting, after.ServingWindows));
    }

    [Fact]
    public async Task Forecast_ReadsTodaysArrivalsAgainOnlyAfterAMinute()
    {
        await using var hall = await HallFixture.StartAsync();
        var grain = hall.Grains.GetGrain<IForecastGrain>(HallFixture.HallId);
        await hall.IssueAsync("TAX-INV");
        await hall.IssueAsync("TAX-INV");
        hall.Clock.AdvanceTo(HallFixture.Morning.AddMinutes(40));
        var first = await RateAsync();
        await hall.IssueAsync("TAX-INV");
        await hall.IssueAsync("TAX-INV");

        hall.Clock.Advance(TimeSpan.FromSeconds(30));
        var cached = await RateAsync();
        hall.Clock.Advance(TimeSpan.FromSeconds(30));
        var fresh = await RateAsync();

        // Tickets since 09:00 per hour: two in 40 minutes, the same two in 40½ (read half a minute before), four in 41.
        Assert.Equal(3.0, first);
        Assert.Equal(Math.Round(2 / (40.5 / 60), 2), cached);
        Assert.Equal(Math.Round(4 / (41.0 / 60), 2), fresh);

        async Task<double> RateAsync() =>
            (await grain.GetForecastAsync(1)).Matters.Single(m => m.Matter == "TAX-INV").Staffing.Single().ArrivalsPerHour;
    }

    [Fact]
    public async Task Forecast_CarriesTheHallsPredictionOfTheWaitingTickets()
    {
        await using var hall = await HallFixture.StartAsync();
        for (var i = 0; i < 4; i++)
        {
            await hall.IssueAsync("RE-TRANS");
        }

        await hall.OpenAsync("04");

        var matter = (await hall.Grains.GetGrain<IForecastGrain>(HallFixture.HallId).GetForecastAsync(1)).Matters.Single(m => m.Matter == "RE-TRANS");

        // Window 04 alone, 30 minutes a service: calls at 0, 30, 60 and 90 minutes; the last three at or past the 30-minute target.
        var predicted = (await hall.Hall.PredictAsync(withTickets: false)).Matters.Single(m => m.Matter == "RE-TRANS");
        Assert.Equal((4, 1), (matter.Waiting, matter.ServingWindows));
        Assert.Equal(HallFixture.Morning.AddMinutes(90), matter.LastCallAt);
        Assert.Equal((predicted.LastCallAt, predicted.PastTarget), (matter.LastCallAt, matter.PastTarget));
        Assert.Equal(3, matter.PastTarget);
    }

    [Fact]
    public async Task Forecast_PoolsASectorsMatters_UnderTheStrictestTarget()
    {
        var halls = HallFixture.TestHalls();
        var definition = halls.Halls[0];
        halls = halls with
        {
            Halls = [definition with { Matters = [.. definition.Matters.Select(m => m.Code == "BIZ-CHG" ? m with { WaitTargetSeconds = 600 } : m)] }],
        };
        await using var hall = await HallFixture.StartAsync(halls, TwoWeeksBefore);
        await IssueAtAsync(hall, new(2026, 11, 9, 9, 10, 0, China), ("BIZ-REG", 6), ("BIZ-CHG", 3));
        await GoToAsync(hall, new(2026, 11, 16, 9, 0, 0, China));
        await hall.OpenAsync("01");
        await hall.OpenAsync("03");

        var forecast = await hall.Grains.GetGrain<IForecastGrain>(HallFixture.HallId).GetForecastAsync(1);

        var sector = forecast.Sectors.Single(s => s.Sector == "商事登记");
        var hour = sector.Staffing.Single();
        Assert.Equal(["BIZ-REG", "BIZ-CHG"], sector.Matters);
        Assert.Equal((600, 2), (sector.WaitTargetSeconds, sector.WindowsOpen));
        Assert.Equal((9.0, (6 * 1200 + 3 * 900) / 9.0), (hour.ArrivalsPerHour, hour.HandleSeconds));
        Assert.Equal(ErlangC.WindowsNeeded(9, (6 * 1200 + 3 * 900) / 9.0, 600, 0.9), hour.WindowsNeeded);
        Assert.Equal(1, forecast.Sectors.Single(s => s.Sector == "办税服务").WindowsOpen);

        // The whole hall as one line: the same nine arrivals (nobody came for the other sectors) under the same target.
        Assert.Equal((2, 600), (forecast.Pooled.WindowsOpen, forecast.Pooled.WaitTargetSeconds));
        Assert.Equal(HallFixture.MatterCodes, forecast.Pooled.Matters);
        Assert.Equal((hour.ArrivalsPerHour, hour.WindowsNeeded), (forecast.Pooled.Staffing.Single().ArrivalsPerHour, forecast.Pooled.Staffing.Single().WindowsNeeded));
    }

    [Fact]
    public async Task Forecast_RefusesHoursOutsideOneToTwelve()
    {
        await using var hall = await HallFixture.StartAsync();

        await Assert.ThrowsAsync<InvalidRequestException>(() => hall.Grains.GetGrain<IForecastGrain>(HallFixture.HallId).GetForecastAsync(13));
    }

    private static async Task IssueAtAsync(HallFixture hall, DateTimeOffset at, params (string Matter, int Count)[] tickets)
    {
        await GoToAsync(hall, at);
        foreach (var (matter, count) in tickets)
        {
            for (var i = 0; i < count; i++)
            {
                await hall.IssueAsync(matter);
            }
        }
    }

    /// <summary>Moves the hall's clock to <paramref name="at"/>, one service day after the other.</summary>
    private static async Task GoToAsync(HallFixture hall, DateTimeOffset at)
    {
        while (hall.NextMidnight() <= at)
        {
            await hall.StartNextServiceDayAsync((await hall.Hall.GetSnapshotAsync()).Kpis.Waiting);
        }

        hall.Clock.AdvanceTo(at);
        await hall.SettleAsync();
    }
}
