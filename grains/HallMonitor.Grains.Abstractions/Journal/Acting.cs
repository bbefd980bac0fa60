namespace HallMonitor.Grains;

/// <summary>
/// Who acts, carried with every grain call of a request in Orleans' <see cref="RequestContext"/>: the edge sets the
/// name of the caller's token, and the journal records it as the actor of whatever the call appends, down the whole
/// chain of grain calls. Without it (demo mode, timers) the actor is the one the grain names.
/// </summary>
public static class Acting
{
    public const string CallerKey = "hallmonitor.caller";

    /// <summary>The caller of the current request, if the edge named one.</summary>
    public static string? Caller => RequestContext.Get(CallerKey) as string;
}
