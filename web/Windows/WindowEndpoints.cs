using HallMonitor.Grains;

namespace HallMonitor.Web;

/// <summary>What a clerk does at a window.</summary>
public static class WindowEndpoints
{
    public static IEndpointRouteBuilder MapWindowApi(this IEndpointRouteBuilder app)
    {
        var windows = app.MapGroup("/api/halls/{hall}/windows/{window}").WithTags("Windows");
        windows.MapGet("/", (string hall, string window, HallCatalog catalog, IGrainFactory grains) =>
            Window(hall, window, catalog, grains).GetAsync())
            .Requires(Permission.ReadHall);

        var commands = windows.MapGroup("/").Requires(Permission.OperateWindow);
        commands.MapPost("/open", OpenAsync);
        commands.MapPost("/pause", (string hall, string window, ClerkRequest? body, HallCatalog catalog, IGrainFactory grains) =>
            WithClerk(body, clerk => Window(hall, window, catalog, grains).PauseAsync(clerk)));
        commands.MapPost("/resume", (string hall, string window, ClerkRequest? body, HallCatalog catalog, IGrainFactory grains) =>
            WithClerk(body, clerk => Window(hall, window, catalog, grains).ResumeAsync(clerk)));
        commands.MapPost("/close", (string hall, string window, ClerkRequest? body, HallCatalog catalog, IGrainFactory grains) =>
            WithClerk(body, clerk => Window(hall, window, catalog, grains).CloseAsync(clerk)));
        commands.MapPost("/call-next", CallNextAsync);
        commands.MapPost("/recall", (string hall, string window, HallCatalog catalog, IGrainFactory grains) =>
            Window(hall, window, catalog, grains).RecallAsync());
        commands.MapPost("/start", (string hall, string window, HallCatalog catalog, IGrainFactory grains) =>
            Window(hall, window, catalog, grains).StartAsync());
        commands.MapPost("/complete", (string hall, string window, HallCatalog catalog, IGrainFactory grains) =>
            Window(hall, window, catalog, grains).CompleteAsync());
        commands.MapPost("/no-show", (string hall, string window, HallCatalog catalog, IGrainFactory grains) =>
            Window(hall, window, catalog, grains).NoShowAsync());
        commands.MapPost("/transfer", TransferAsync);
        return app;
    }

    /// <summary>
    /// Opens the window for a clerk. A clerk's token opens it in its own name (a different <c>clerk</c> is 403); a
    /// supervisor or admin names the clerk who will serve.
    /// </summary>
    private static async Task<IResult> OpenAsync(string hall, string window, ClerkRequest? body, HallCatalog catalog, IGrainFactory grains, HttpContext context)
    {
        var caller = Caller.From(context.User);
        var ownName = caller is { Role: Roles.Clerk } ? caller.Name : null;
        var clerk = body?.Clerk ?? ownName;
        var errors = new RequestErrors().Clerk("clerk", clerk, required: true);
        if (errors.Any)
        {
            return errors.ToResult();
        }

        if (ownName is not null && clerk != ownName)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, detail: $"This token opens windows as '{ownName}' only.");
        }

        return TypedResults.Ok(await Window(hall, window, catalog, grains).OpenAsync(clerk!));
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
