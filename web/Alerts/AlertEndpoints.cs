using HallMonitor.Grains;

namespace HallMonitor.Web;

/// <summary>Overtime alerts: listing and acknowledging.</summary>
public static class AlertEndpoints
{
    public static IEndpointRouteBuilder MapAlertApi(this IEndpointRouteBuilder app)
    {
        var alerts = app.MapGroup("/api/halls/{hall}/alerts").WithTags("Alerts");
        alerts.MapGet("/", ListAsync);
        alerts.MapPost("/{alertId}/ack", AcknowledgeAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(string hall, string? state, HallCatalog catalog, IGrainFactory grains)
    {
        var definition = catalog.GetHall(hall);
        if (new RequestErrors().OneOf("state", state, "open", "all") is { Any: true } errors)
        {
            return errors.ToResult();
        }

        return TypedResults.Ok(await grains.GetHall(definition.Id).GetAlertsAsync(includeResolved: state == "all"));
    }

    private static async Task<IResult> AcknowledgeAsync(string hall, string alertId, AcknowledgeRequest? body, HallCatalog catalog, IGrainFactory grains)
    {
        var definition = catalog.GetHall(hall);
        var errors = new RequestErrors().Clerk("by", body?.By, required: false);
        return errors.Any
            ? errors.ToResult()
            : TypedResults.Ok(await grains.GetHall(definition.Id).AcknowledgeAlertAsync(alertId, body?.By ?? "supervisor"));
    }

    /// <summary>Who acknowledges; a supervisor by default.</summary>
    public sealed record AcknowledgeRequest(string? By);
}
