using System.Globalization;
using HallMonitor.Grains;

namespace HallMonitor.Web;

/// <summary>Staffing advice (人员建议) for the coming hours, per matter and sector.</summary>
public static class ForecastEndpoints
{
    public const int DefaultHours = 4;

    public static IEndpointRouteBuilder MapForecastApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/halls/{hall}/forecast", ForecastAsync).WithTags("Forecast").Requires(Permission.ReadForecast);
        return app;
    }

    private static async Task<IResult> ForecastAsync(string hall, string? hours, HallCatalog catalog, IGrainFactory grains)
    {
        var definition = catalog.GetHall(hall);
        var count = DefaultHours;
        if (hours is not null
            && !(hours.Length <= RequestErrors.MaxQueryWordLength
                && int.TryParse(hours, NumberStyles.None, CultureInfo.InvariantCulture, out count)
                && count is >= 1 and <= HallForecast.MaxHours))
        {
            return new RequestErrors().Add("hours", $"hours is a whole number from 1 to {HallForecast.MaxHours}.").ToResult();
        }

        return TypedResults.Ok(await grains.GetGrain<IForecastGrain>(definition.Id).GetForecastAsync(count));
    }
}
