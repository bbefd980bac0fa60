using HallMonitor.Grains;

namespace HallMonitor.Web;

/// <summary>Overtime alerts: listing and acknowledging.</summary>
public static class AlertEndpoints
{
    public static IEndpointRouteBuilder MapAlertApi(this IEndpointRouteBuilder app)
    {
        var alerts = app.MapGroup("/api/halls/{hall}/alerts").WithTags("Alerts");
        alerts.MapGet("/", ListAsync).Requires(Permission.ReadAlerts);
        alerts.MapPost("/{alertId}/ack", AcknowledgeAsync).Requires(Permission.AcknowledgeAlert);
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

    /// <summary>
    /// Acknowledges an alert in the name of <c>by</c> (the person on duty at a shared wall), or of the caller's token,
    /// or of "supervisor" in demo mode. A clerk's token acknowledges only the alerts of its window and its queues.
    /// </summary>
    private static async Task<IResult> AcknowledgeAsync(string hall, string alertId, AcknowledgeRequest? body, HallCatalog catalog, IGrainFactory grains, HttpContext context)
    {
        var definition = catalog.GetHall(hall);
        var errors = new RequestErrors().Clerk("by", body?.By, required: false);
        if (errors.Any)
        {
            return errors.ToResult();
        }

        var hallGrain = grains.GetHall(definition.Id);
        var caller = Caller.From(context.User);
        if (caller is { Role: Roles.Clerk })
        {
            var alert = (await hallGrain.GetAlertsAsync(includeResolved: true)).FirstOrDefault(a => a.AlertId == alertId);
            if (alert is not null && AccessRules.AcknowledgeRefusal(caller, definition, alert) is { } refusal)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, detail: refusal);
            }
        }

        return TypedResults.Ok(await hallGrain.AcknowledgeAlertAsync(alertId, body?.By ?? caller?.Name ?? "supervisor"));
    }

    /// <summary>Who acknowledges; the caller's token name, or a supervisor in demo mode, when nobody is named.</summary>
    public sealed record AcknowledgeRequest(string? By);
}
