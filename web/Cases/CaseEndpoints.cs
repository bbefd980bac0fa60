using HallMonitor.Grains;

namespace HallMonitor.Web;

/// <summary>Cases (办件) and their steps, the visitor's progress lookup, and the follow-ups of bad reviews.</summary>
public static class CaseEndpoints
{
    public static IEndpointRouteBuilder MapCaseApi(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/halls/{hall}/cases").WithTags("Cases");
        cases.MapGet("/", ListAsync).Requires(Permission.ReadCases);
        cases.MapGet("/{caseId}", (string hall, string caseId, HallCatalog catalog, IGrainFactory grains, TimeProvider clock) =>
            Case(hall, caseId, catalog, grains, clock).GetAsync())
            .Requires(Permission.ReadCases);
        cases.MapPost("/{caseId}/steps", StepAsync).Requires(Permission.StepCase);

        // A visitor with the case id and its lookup code, on the progress page: no token, a few lookups a minute.
        cases.MapGet("/{caseId}/progress", ProgressAsync).AllowAnonymous().RequireRateLimiting(RateLimits.LookupPolicy);

        var followUps = app.MapGroup("/api/halls/{hall}/followups").WithTags("Follow-ups");
        followUps.MapGet("/", ListFollowUpsAsync).Requires(Permission.ReadFollowUps);
        followUps.MapPost("/{followUpId}/close", CloseAsync).Requires(Permission.CloseFollowUp);
        return app;
    }

    private static async Task<IResult> ListAsync(string hall, string? state, string? matter, HallCatalog catalog, IGrainFactory grains)
    {
        var definition = catalog.GetHall(hall);
        var errors = new RequestErrors().OneOf("state", state, "open", "overdue", "all").Id("matter", matter, required: false);
        if (errors.Any)
        {
            return errors.ToResult();
        }

        if (matter is not null)
        {
            definition.GetMatter(matter);
        }

        var filter = state switch
        {
            "overdue" => CaseFilter.Overdue,
            "all" => CaseFilter.All,
            _ => CaseFilter.Open,
        };
        return TypedResults.Ok(await grains.GetHall(definition.Id).GetCasesAsync(filter, matter));
    }

    /// <summary>
    /// Takes a step in the name of <c>by</c>, or of the caller's token, or of "supervisor" in demo mode. A clerk's token
    /// takes steps only of the cases its window accepted.
    /// </summary>
    private static async Task<IResult> StepAsync(string hall, string caseId, StepRequest body, HallCatalog catalog, IGrainFactory grains, TimeProvider clock, HttpContext context)
    {
        var errors = new RequestErrors().Clerk("by", body.By, required: false).Text("note", body.Note, RequestErrors.MaxNoteLength);
        if (body.Step is null)
        {
            errors.Add("step", "step is required.");
        }
        else if (body.Step == CaseStep.Accepted)
        {
            errors.Add("step", "step is review, awaitMaterials, resume, decide or deliver (a case is accepted when it opens).");
        }

        if (errors.Any)
        {
            return errors.ToResult();
        }

        var grain = Case(hall, caseId, catalog, grains, clock);
        var caller = Caller.From(context.User);
        if (caller is { Role: Roles.Clerk } && AccessRules.StepCaseRefusal(caller, hall, await grain.GetAsync()) is { } refusal)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, detail: refusal);
        }

        var note = string.IsNullOrWhiteSpace(body.Note) ? null : body.Note.Trim();
        return TypedResults.Ok(await grain.StepAsync(body.Step!.Value, body.By ?? caller?.Name ?? "supervisor", note));
    }

    /// <summary>What a visitor may see; a wrong code is the same 404 as an unknown case, so a code cannot be probed for a case.</summary>
    private static async Task<IResult> ProgressAsync(string hall, string caseId, string? code, HallCatalog catalog, IGrainFactory grains, TimeProvider clock)
    {
        var errors = new RequestErrors().LookupCode("code", code);
        if (errors.Any)
        {
            return errors.ToResult();
        }

        return TypedResults.Ok(await Case(hall, caseId, catalog, grains, clock).GetProgressAsync(code!));
    }

    private static async Task<IResult> ListFollowUpsAsync(string hall, string? state, HallCatalog catalog, IGrainFactory grains)
    {
        var definition = catalog.GetHall(hall);
        if (new RequestErrors().OneOf("state", state, "open", "all") is { Any: true } errors)
        {
            return errors.ToResult();
        }

        return TypedResults.Ok(await grains.GetHall(definition.Id).GetFollowUpsAsync(includeClosed: state == "all"));
    }

    private static async Task<IResult> CloseAsync(string hall, string followUpId, CloseRequest body, HallCatalog catalog, IGrainFactory grains, TimeProvider clock, HttpContext context)
    {
        var definition = catalog.GetHall(hall);
        var errors = new RequestErrors().Required("note", body.Note).Text("note", body.Note, RequestErrors.MaxNoteLength).Clerk("by", body.By, required: false);
        if (errors.Any)
        {
            return errors.ToResult();
        }

        if (!CouldExist(definition, followUpId, clock, m => true))
        {
            throw new NotFoundException($"Hall '{definition.Id}' has no follow-up '{followUpId}'.");
        }

        var by = body.By ?? Caller.From(context.User)?.Name ?? "supervisor";
        return TypedResults.Ok(await grains.GetFollowUp(definition.Id, followUpId).CloseAsync(body.Note!.Trim(), by));
    }

    /// <summary>
    /// The case's grain, only for an id this hall could have opened: a ticket id of a service day that has begun, of a
    /// matter with a promised time limit. Anything else is the 404 of an unknown case without activating a grain.
    /// </summary>
    private static ICaseGrain Case(string hall, string caseId, HallCatalog catalog, IGrainFactory grains, TimeProvider clock)
    {
        var definition = catalog.GetHall(hall);
        return CouldExist(definition, caseId, clock, m => m.PromisedDays is not null)
            ? grains.GetCase(definition.Id, caseId)
            : throw new NotFoundException($"Hall '{definition.Id}' has no case '{caseId}'.");
    }

    private static bool CouldExist(Hall hall, string ticketId, TimeProvider clock, Func<MatterDefinition, bool> matters) =>
        TicketNumber.TryParseTicketId(ticketId, out var serviceDay)
        && serviceDay <= hall.ServiceDay(clock.GetUtcNow())
        && TicketNumber.TryParse(ticketId[9..], out var prefix, out _)
        && hall.Matters.Any(m => m.Prefix == prefix && matters(m));

    /// <summary>A step of a case, with an optional note and who takes it.</summary>
    public sealed record StepRequest(CaseStep? Step, string? Note, string? By);

    /// <summary>What a supervisor did about a bad review.</summary>
    public sealed record CloseRequest(string? Note, string? By);
}
