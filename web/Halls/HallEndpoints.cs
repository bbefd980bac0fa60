using HallMonitor.Grains;

namespace HallMonitor.Web;

/// <summary>The halls (those the caller's token reaches), their configuration and their live snapshot.</summary>
public static class HallEndpoints
{
    public static IEndpointRouteBuilder MapHallApi(this IEndpointRouteBuilder app)
    {
        var halls = app.MapGroup("/api/halls").WithTags("Halls");
        halls.MapGet("/", (HallCatalog catalog, HttpContext context) => catalog.Halls
                .Where(h => Caller.From(context.User) is not { } caller || AccessRules.Reaches(caller, h.Id))
                .Select(h => new HallSummary(h.Id, h.Name)))
            .Requires(Permission.ListHalls);
        halls.MapGet("/{hall}", (string hall, HallCatalog catalog) => catalog.GetHall(hall).Definition)
            .Requires(Permission.ReadHall);
        halls.MapGet("/{hall}/snapshot", (string hall, HallCatalog catalog, IGrainFactory grains) =>
            grains.GetHall(catalog.GetHall(hall).Id).GetSnapshotAsync())
            .Requires(Permission.ReadHall);
        return app;
    }

    public sealed record HallSummary(string Id, string Name);
}
