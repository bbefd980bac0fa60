namespace HallMonitor.Grains;

/// <summary>Composes and splits the keys of hall-scoped grains: <c>{hall}/{id}</c>.</summary>
public static class GrainKeys
{
    public static string For(string hallId, string id) => $"{hallId}/{id}";

    public static (string HallId, string Id) Split(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0 || slash == key.Length - 1
            ? throw new ArgumentException($"'{key}' is not a hall-scoped grain key.", nameof(key))
            : (key[..slash], key[(slash + 1)..]);
    }
}

/// <summary>Short-hands for the grains of a hall.</summary>
public static class HallGrainFactoryExtensions
{
    public static IHallGrain GetHall(this IGrainFactory grains, string hallId) =>
        grains.GetGrain<IHallGrain>(hallId);

    public static IMatterGrain GetMatter(this IGrainFactory grains, string hallId, string matter) =>
        grains.GetGrain<IMatterGrain>(GrainKeys.For(hallId, matter));

    public static IWindowGrain GetWindow(this IGrainFactory grains, string hallId, string windowId) =>
        grains.GetGrain<IWindowGrain>(GrainKeys.For(hallId, windowId));

    public static ITicketGrain GetTicket(this IGrainFactory grains, string hallId, string ticketId) =>
        grains.GetGrain<ITicketGrain>(GrainKeys.For(hallId, ticketId));

    public static ICaseGrain GetCase(this IGrainFactory grains, string hallId, string caseId) =>
        grains.GetGrain<ICaseGrain>(GrainKeys.For(hallId, caseId));

    public static IFollowUpGrain GetFollowUp(this IGrainFactory grains, string hallId, string followUpId) =>
        grains.GetGrain<IFollowUpGrain>(GrainKeys.For(hallId, followUpId));
}
