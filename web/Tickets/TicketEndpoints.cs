using HallMonitor.Grains;

namespace HallMonitor.Web;

/// <summary>Taking a number, looking a ticket up, cancelling it and rating the service.</summary>
public static class TicketEndpoints
{
    public static IEndpointRouteBuilder MapTicketApi(this IEndpointRouteBuilder app)
    {
        var tickets = app.MapGroup("/api/halls/{hall}/tickets").WithTags("Tickets");
        tickets.MapPost("/", IssueAsync);
        tickets.MapGet("/{ticketId}", (string hall, string ticketId, HallCatalog catalog, IGrainFactory grains) =>
            Ticket(hall, ticketId, catalog, grains).GetAsync());
        tickets.MapPost("/{ticketId}/cancel", (string hall, string ticketId, HallCatalog catalog, IGrainFactory grains) =>
            Ticket(hall, ticketId, catalog, grains).CancelAsync("visitor"));
        tickets.MapPost("/{ticketId}/rating", RateAsync);
        return app;
    }

    private static async Task<IResult> IssueAsync(string hall, IssueTicketRequest body, HallCatalog catalog, IGrainFactory grains)
    {
        var definition = catalog.GetHall(hall);
        var errors = new RequestErrors().Required("matter", body.Matter);
        if (errors.Any)
        {
            return errors.ToResult();
        }

        var matter = definition.GetMatter(body.Matter!);
        var channel = body.Channel ?? TicketChannel.Kiosk;
        var ticket = await grains.GetMatter(definition.Id, matter.Code).IssueAsync(channel, body.Priority ?? false, channel.ToString().ToLowerInvariant());
        return TypedResults.Created($"/api/halls/{definition.Id}/tickets/{ticket.TicketId}", ticket);
    }

    private static async Task<IResult> RateAsync(string hall, string ticketId, RatingRequest body, HallCatalog catalog, IGrainFactory grains)
    {
        var errors = new RequestErrors();
        if (body.Score is null)
        {
            errors.Add("score", "score is required.");
        }
        else if (body.Score is < 1 or > 5)
        {
            errors.Add("score", "score must be 1 (非常不满意) to 5 (非常满意).");
        }

        if (body.Comment?.Trim() is { Length: > 500 })
        {
            errors.Add("comment", "comment has at most 500 characters.");
        }

        if (errors.Any)
        {
            return errors.ToResult();
        }

        return TypedResults.Ok(await Ticket(hall, ticketId, catalog, grains).RateAsync(body.Score!.Value, body.Comment, "visitor"));
    }

    private static ITicketGrain Ticket(string hall, string ticketId, HallCatalog catalog, IGrainFactory grains)
    {
        var definition = catalog.GetHall(hall);
        return TicketNumber.TryParseTicketId(ticketId, out _)
            ? grains.GetTicket(definition.Id, ticketId)
            : throw NotFoundException.Ticket(definition.Id, ticketId);
    }

    /// <summary>A visitor taking a number.</summary>
    public sealed record IssueTicketRequest(string? Matter, TicketChannel? Channel, bool? Priority);

    /// <summary>A visitor's rating.</summary>
    public sealed record RatingRequest(int? Score, string? Comment);
}
