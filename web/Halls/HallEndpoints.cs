using HallMonitor.Grains;

namespace HallMonitor.Web;

/// <summary>The halls, their configuration and their live snapshot.</summary>
public static class HallEndpoints
{
    public static IEndpointRouteBuilder MapHallApi(this IEndpointRouteBuilder app)
    {
        var halls = app.MapGroup("/api/halls").WithTags("Halls");
        halls.MapGet("/", (HallCatalog catalog) => catalog.Halls.Select(h => new HallSummary(h.Id, h.Name)));
        halls.MapGet("/{hall}", (string hall, HallCatalog catalog) => catalog.GetHall(hall).Definition);
        halls.MapGet("/{hall}/snapshot", (string hall, HallCatalog catalog, IGrainFactory grains) =>
            grains.GetHall(catalog.GetHall(hall).Id).GetSnapshotAsync());
        return app;
    }

    public sealed record HallSummary(string Id, string Name);
}
