using HallMonitor.Grains;

namespace HallMonitor.Web;

/// <summary>What a clerk does at a window.</summary>
public static class WindowEndpoints
{
    public static IEndpointRouteBuilder MapWindowApi(this IEndpointRouteBuilder app)
    {
        var windows = app.MapGroup("/api/halls/{hall}/windows/{window}").WithTags("Windows");
        windows.MapGet("/", (string hall, string window, HallCatalog catalog, IGrainFactory grains) =>
            Window(hall, window, catalog, grains).GetAsync());
        windows.MapPost("/open", OpenAsync);
        windows.MapPost("/pause", (string hall, string window, ClerkRequest? body, HallCatalog catalog, IGrainFactory grains) =>
            WithClerk(body, clerk => Window(hall, window, catalog, grains).PauseAsync(clerk)));
        windows.MapPost("/resume", (string hall, string window, ClerkRequest? body, HallCatalog catalog, IGrainFactory grains) =>
            WithClerk(body, clerk => Window(hall, window, catalog, grains).ResumeAsync(clerk)));
        windows.MapPost("/close", (string hall, string window, ClerkRequest? body, HallCatalog catalog, IGrainFactory grains) =>
            WithClerk(body, clerk => Window(hall, window, catalog, grains).CloseAsync(clerk)));
        windows.MapPost("/call-next", CallNextAsync);
        windows.MapPost("/recall", (string hall, string window, HallCatalog catalog, IGrainFactory grains) =>
            Window(hall, window, catalog, grains).RecallAsync());
        windows.MapPost("/start", (string hall, string window, HallCatalog catalog, IGrainFactory grains) =>
            Window(hall, window, catalog, grains).StartAsync());
        windows.MapPost("/complete", (string hall, string window, HallCatalog catalog, IGrainFactory grains) =>
            Window(hall, window, catalog, grains).CompleteAsync());
        windows.MapPost("/no-show", (string hall, string window, HallCatalog catalog, IGrainFactory grains) =>
            Window(hall, window, catalog, grains).NoShowAsync());
        windows.MapPost("/transfer", TransferAsync);
        return app;
    }

    private static async Task<IResult> OpenAsync(string hall, string window, ClerkRequest body, HallCatalog catalog, IGrainFactory grains)
    {
        var errors = new RequestErrors().Clerk("clerk", body.Clerk, required: true);
        return errors.Any ? errors.ToResult() : TypedResults.Ok(await Window(hall, window, catalog, grains).OpenAsync(body.Clerk!));
    }

    private static async Task<IResult> CallNextAsync(string hall, string window, HallCatalog catalog, IGrainFactory grains) =>
        await Window(hall, window, catalog, grains).CallNextAsync() is { } ticket ? TypedResults.Ok(ticket) : TypedResults.NoContent();

    private static async Task<IResult> TransferAsync(string hall, string window, TransferRequest body, HallCatalog catalog, IGrainFactory grains)
    {
        var errors = new RequestErrors().Id("matter", body.Matter, required: true);
        if (errors.Any)
        {
            return errors.ToResult();
        }

        catalog.GetHall(hall).GetMatter(body.Matter!);
        return TypedResults.Ok(await Window(hall, window, catalog, grains).TransferAsync(body.Matter!));
    }

    private static async Task<IResult> WithClerk(ClerkRequest? body, Func<string?, Task<WindowView>> action)
    {
        var errors = new RequestErrors().Clerk("clerk", body?.Clerk, required: false);
        return errors.Any ? errors.ToResult() : TypedResults.Ok(await action(body?.Clerk));
    }

    private static IWindowGrain Window(string hall, string window, HallCatalog catalog, IGrainFactory grains)
    {
        var definition = catalog.GetHall(hall);
        return grains.GetWindow(definition.Id, definition.GetWindow(window).Id);
    }

    /// <summary>The clerk who opens a window, or who operates it.</summary>
    public sealed record ClerkRequest(string? Clerk);

    /// <summary>The matter a visitor is sent on to.</summary>
    public sealed record TransferRequest(string? Matter);
}
