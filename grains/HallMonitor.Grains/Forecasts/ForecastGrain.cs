namespace HallMonitor.Grains;

/// <summary>
/// A hall's staffing forecast. It learns from the report grain's facts: the past days once per service day (only the
/// days it has not seen yet, so a day adds one day's read), today's at most once a minute; the line now (the hall's
/// prediction of the waiting tickets' calls, and its open windows) comes from the hall at every request.
/// </summary>
/// <remarks>Not reentrant: one request at a time brings the cache up to date, and each does a few short reads.</remarks>
public sealed class ForecastGrain(HallCatalog catalog, TimeProvider time) : Grain, IForecastGrain
{
    /// <summary>How long today's arrivals are reused before they are read again.</summary>
    public static readonly TimeSpan TodayFresh = TimeSpan.FromMinutes(1);

    private readonly List<MatterDay> _past = [];
    private DateOnly _learntThrough = DateOnly.MinValue;
    private IReadOnlyList<MatterDay> _today = [];
    private DateOnly _todayDay;
    private DateTimeOffset _todayRead;

    public async Task<HallForecast> GetForecastAsync(int hours)
    {
        if (hours is < 1 or > HallForecast.MaxHours)
        {
            throw new InvalidRequestException($"A forecast covers 1 to {HallForecast.MaxHours} hours.");
        }

        var hall = catalog.GetHall(this.GetPrimaryKeyString());
        var now = time.GetUtcNow();
        var today = hall.ServiceDay(now);
        var reports = GrainFactory.GetGrain<IReportGrain>(hall.Id);
        var yesterday = today.AddDays(-1);
        if (_learntThrough < yesterday)
        {
            var first = StaffingAdvice.FirstDay(today);
            _past.AddRange(await reports.GetMatterDaysAsync(_learntThrough >= first ? _learntThrough.AddDays(1) : first, yesterday));
            _past.RemoveAll(d => d.Day < first);
            _learntThrough = yesterday;
        }

        if (_todayDay != today || now - _todayRead >= TodayFresh)
        {
            _today = await reports.GetMatterDaysAsync(today, today);
            (_todayDay, _todayRead) = (today, now);
        }

        var prediction = await GrainFactory.GetHall(hall.Id).PredictAsync(withTickets: false);
        return StaffingAdvice.Build(hall, now, hours, _past, _today, prediction);
    }
}
