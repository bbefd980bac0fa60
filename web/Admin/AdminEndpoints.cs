using HallMonitor.Grains;
using Microsoft.Extensions.Options;

namespace HallMonitor.Web;

/// <summary>Configuration changes without a restart (admins only).</summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/admin/reload", ReloadAsync).Requires(Permission.ChangeConfiguration).WithTags("Admin");
        return app;
    }

    /// <summary>
    /// Reads the halls file again and takes it up if it is valid and changes nothing that needs a restart: 422 names
    /// every problem of a bad file, 409 every change that needs a restart; both change nothing. Otherwise the new
    /// configuration applies at once (tokens, names, targets, thresholds, calendars; live connections of a withdrawn or
    /// changed token end) and each hall's journal records
    /// what changed and who reloaded.
    /// </summary>
    private static async Task<IResult> ReloadAsync(
        HallCatalog catalog, IOptions<HallMonitorOptions> options, IHostEnvironment environment, TimeProvider time, IGrainFactory grains, LiveConnections connections)
    {
        if (options.Value.Silo.Equals("client", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                detail: "This web replica is a client of a cluster whose silos read the halls file themselves: change the file (the ConfigMap) and roll the silos and replicas (kubectl rollout restart), which hands every hall over without a failed request.");
        }

        HallCatalog next;
        try
        {
            next = HallCatalog.Load(SiloHostingExtensions.ResolveHallsFile(options.Value.HallsFile, environment.ContentRootPath), time);
        }
        catch (HallsConfigurationException invalid)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                detail: $"The halls file is not valid; nothing was changed. {invalid.Errors.Count} problem(s): {string.Join("; ", invalid.Errors)}",
                extensions: new Dictionary<string, object?> { ["problems"] = invalid.Errors });
        }

        var changes = ConfigurationChanges.Compare(catalog, next);
        if (changes.NeedRestart.Count > 0)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                detail: $"These changes need a restart, so nothing was changed: {string.Join("; ", changes.NeedRestart)}.",
                extensions: new Dictionary<string, object?> { ["needRestart"] = changes.NeedRestart });
        }

        catalog.Replace(next);
        connections.EndWithdrawn(next);
        foreach (var hall in next.Halls)
        {
            await grains.GetHall(hall.Id).ApplyConfigurationAsync(next.Sha256!, changes.ForHall(hall.Id));
        }

        return TypedResults.Ok(new ReloadResult(next.Sha256!, changes.Tokens, changes.ByHall, next.Warnings));
    }

    /// <summary>What a reload changed: the file's hash, the tokens' changes, each hall's changes, and warnings.</summary>
    public sealed record ReloadResult(string Sha256, IReadOnlyList<string> Tokens, IReadOnlyDictionary<string, IReadOnlyList<string>> Halls, IReadOnlyList<string> Warnings);
}
