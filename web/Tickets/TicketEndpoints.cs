using HallMonitor.Grains;
using Microsoft.AspNetCore.Mvc;

namespace HallMonitor.Web;

/// <summary>Taking a number, looking a ticket up, cancelling it and rating the service.</summary>
public static class TicketEndpoints
{
    public static IEndpointRouteBuilder MapTicketApi(this IEndpointRouteBuilder app)
    {
        var tickets = app.MapGroup("/api/halls/{hall}/tickets").WithTags("Tickets");
        tickets.MapPost("/", IssueAsync).Requires(Permission.IssueTicket);
        tickets.MapGet("/{ticketId}", (string hall, string ticketId, HallCatalog catalog, IGrainFactory grains, TimeProvider clock) =>
            Ticket(hall, ticketId, catalog, grains, clock).GetAsync())
            .Requires(Permission.ReadTicket);
        tickets.MapPost("/{ticketId}/cancel", (string hall, string ticketId, HallCatalog catalog, IGrainFactory grains, TimeProvider clock) =>
            Ticket(hall, ticketId, catalog, grains, clock).CancelAsync("visitor"))
            .Requires(Permission.CancelTicket);
        tickets.MapPost("/{ticketId}/rating", RateAsync).Requires(Permission.RateTicket);
        return app;
    }

    /// <summary>The header that makes taking a number idempotent for the service day.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>
    /// Takes a number. With an <c>Idempotency-Key</c> header, sending the same request again (a kiosk retrying
    /// after a 503 whose request "may or may not have taken effect") answers the ticket the first one got.
    /// Without one, the edge makes one for this request, so that its own retry when the queue's silo went away
    /// cannot issue twice either.
    /// </summary>
    private static async Task<IResult> IssueAsync(
        string hall,
        IssueTicketRequest body,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        HallCatalog catalog,
        IGrainFactory grains)
    {
        var definition = catalog.GetHall(hall);
        var errors = new RequestErrors().Id("matter", body.Matter, required: true).IdempotencyKey(IdempotencyKeyHeader, idempotencyKey);
        if (errors.Any)
        {
            return errors.ToResult();
        }

        var matter = definition.GetMatter(body.Matter!);
        var channel = body.Channel ?? TicketChannel.Kiosk;
        var requestId = idempotencyKey is null ? Guid.NewGuid().ToString("N") : $"key:{idempotencyKey}";
        var queue = grains.GetMatter(definition.Id, matter.Code);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var ticket = await queue.IssueAsync(channel, body.Priority ?? false, channel.ToString().ToLowerInvariant(), requestId);
                return TypedResults.Created($"/api/halls/{definition.Id}/tickets/{ticket.TicketId}", ticket);
            }
            catch (Exception exception) when (attempt < 3 && (exception is SiloUnavailableException or OrleansMessageRejectionException || (exception is TimeoutException && attempt == 1)))
            {
                // The queue's silo went away (a rolling update, a crash) or its answer was lost on the way: the request
                // id makes asking again safe (the hall answers the ticket if the first ask was journaled, or waits
                // for it if it is still on its way). After a timeout only once, so that a kiosk waits at most about
                // two response timeouts before it hears a 503.
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt));
            }
        }
    }

    private static async Task<IResult> RateAsync(string hall, string ticketId, RatingRequest body, HallCatalog catalog, IGrainFactory grains, TimeProvider clock)
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

        errors.Text("comment", body.Comment?.Trim(), RequestErrors.MaxCommentLength);

        if (errors.Any)
        {
            return errors.ToResult();
        }

        return TypedResults.Ok(await Ticket(hall, ticketId, catalog, grains, clock).RateAsync(body.Score!.Value, body.Comment, "visitor"));
    }

    /// <summary>
    /// The ticket's grain, only for an id that this hall could have issued: well-formed, of one of its matters'
    /// prefixes, of a service day that has begun. Anything else is 404 without activating a grain for it.
    /// </summary>
    private static ITicketGrain Ticket(string hall, string ticketId, HallCatalog catalog, IGrainFactory grains, TimeProvider clock)
    {
        var definition = catalog.GetHall(hall);
        var today = DateOnly.FromDateTime(definition.LocalTime(clock.GetUtcNow()).DateTime);
        var couldExist = TicketNumber.TryParseTicketId(ticketId, out var serviceDay)
            && serviceDay <= today
            && TicketNumber.TryParse(ticketId[9..], out var prefix, out _)
            && definition.Matters.Any(m => m.Prefix == prefix);
        return couldExist ? grains.GetTicket(definition.Id, ticketId) : throw NotFoundException.Ticket(definition.Id, ticketId);
    }

    /// <summary>A visitor taking a number.</summary>
    public sealed record IssueTicketRequest(string? Matter, TicketChannel? Channel, bool? Priority);

    /// <summary>A visitor's rating.</summary>
    public sealed record RatingRequest(int? Score, string? Comment);
}
