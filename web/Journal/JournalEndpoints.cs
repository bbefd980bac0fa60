using HallMonitor.Grains;

namespace HallMonitor.Web;

/// <summary>The hall journal for auditors: paging and hash-chain verification.</summary>
public static class JournalEndpoints
{
    public const int MaxPage = 1000;

    public static IEndpointRouteBuilder MapJournalApi(this IEndpointRouteBuilder app)
    {
        var journal = app.MapGroup("/api/halls/{hall}/journal").WithTags("Journal").Requires(Permission.ReadJournal);
        journal.MapGet("/", ReadAsync);
        journal.MapGet("/verify", (string hall, HallCatalog catalog, IGrainFactory grains) =>
            grains.GetHall(catalog.GetHall(hall).Id).VerifyJournalAsync());
        return app;
    }

    private static async Task<IResult> ReadAsync(string hall, long? fromSeq, int? limit, HallCatalog catalog, IGrainFactory grains)
    {
        var definition = catalog.GetHall(hall);
        var errors = new RequestErrors();
        if (fromSeq is < 1)
        {
            errors.Add("fromSeq", "fromSeq starts at 1.");
        }

        if (limit is < 1 or > MaxPage)
        {
            errors.Add("limit", $"limit is 1 to {MaxPage}.");
        }

        return errors.Any
            ? errors.ToResult()
            : TypedResults.Ok(await grains.GetHall(definition.Id).ReadJournalAsync(fromSeq ?? 1, limit ?? 100));
    }
}
