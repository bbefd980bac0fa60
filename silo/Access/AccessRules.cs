using System.Collections.Frozen;
using System.Security.Claims;
using HallMonitor.Grains;

namespace HallMonitor.Silo;

/// <summary>What a caller asks to do; every endpoint and hub method names one.</summary>
public enum Permission
{
    ListHalls,
    ReadHall,
    IssueTicket,
    CancelTicket,
    RateTicket,
    ReadTicket,
    OperateWindow,
    ReadAlerts,
    AcknowledgeAlert,
    ReadReports,
    ReadJournal,
    WatchHall,
    WatchWindow,
    ReadMetrics,
    ChangeConfiguration,
    ViewDashboard,
    ReadCases,
    StepCase,
    ReadFollowUps,
    CloseFollowUp,
    ReadForecast,
}

/// <summary>Who is calling: the configured token's name, role and scope (never the token itself).</summary>
public sealed record Caller(string Name, string Role, string? Hall, string? Window)
{
    public const string HallClaim = "hallmonitor:hall";
    public const string WindowClaim = "hallmonitor:window";

    /// <summary>The caller of an authenticated principal, or null for an anonymous one.</summary>
    public static Caller? From(ClaimsPrincipal? user) =>
        user?.Identity is { IsAuthenticated: true, Name: { } name } && user.FindFirstValue(ClaimTypes.Role) is { } role
            ? new Caller(name, role, user.FindFirstValue(HallClaim), user.FindFirstValue(WindowClaim))
            : null;

    public ClaimsPrincipal ToPrincipal(string scheme)
    {
        List<Claim> claims = [new(ClaimTypes.Name, Name), new(ClaimTypes.Role, Role)];
        if (Hall is not null)
        {
            claims.Add(new Claim(HallClaim, Hall));
        }

        if (Window is not null)
        {
            claims.Add(new Claim(WindowClaim, Window));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }
}

/// <summary>
/// The role matrix, the one place that decides who may do what (README: "Who may do what"). A token bound to a hall
/// reaches only that hall; a clerk's token only its window where a window is concerned.
/// </summary>
public static class AccessRules
{
    private const string Own = "own window";

    /// <summary>Decided per alert by <see cref="AcknowledgeRefusal"/>, once the alert is known.</summary>
    private const string OwnAlerts = "alerts of its window and queues";

    /// <summary>Decided per case by <see cref="StepCaseRefusal"/>, once the case is known.</summary>
    private const string OwnCases = "cases its window accepted";

    /// <summary>
    /// For each permission, the roles that have it; a clerk marked <see cref="Own"/> only for its window, marked
    /// <see cref="OwnAlerts"/> only for the alerts of its window and queues.
    /// </summary>
    public static IReadOnlyDictionary<Permission, IReadOnlyDictionary<string, string?>> Matrix { get; } = new Dictionary<Permission, IReadOnlyDictionary<string, string?>>
    {
        [Permission.ListHalls] = Grant(Roles.Kiosk, Roles.Clerk, Roles.Display, Roles.Supervisor, Roles.Auditor, Roles.Admin),
        [Permission.ReadHall] = Grant(Roles.Kiosk, Roles.Clerk, Roles.Display, Roles.Supervisor, Roles.Auditor, Roles.Admin),
        [Permission.IssueTicket] = Grant(Roles.Kiosk, Roles.Supervisor, Roles.Admin),
        [Permission.CancelTicket] = Grant(Roles.Kiosk, Roles.Supervisor, Roles.Admin),

        // The visitor rates on the kiosk; a clerk does not rate its own service.
        [Permission.RateTicket] = Grant(Roles.Kiosk, Roles.Admin),
        [Permission.ReadTicket] = Grant(Roles.Kiosk, Roles.Clerk, Roles.Supervisor, Roles.Auditor, Roles.Admin),
        [Permission.OperateWindow] = Grant(Roles.Supervisor, Roles.Admin).With(Roles.Clerk, Own),
        [Permission.ReadAlerts] = Grant(Roles.Clerk, Roles.Display, Roles.Supervisor, Roles.Auditor, Roles.Admin),

        // A clerk: the alerts of its window and of the queues its window serves (checked against the alert).
        [Permission.AcknowledgeAlert] = Grant(Roles.Supervisor, Roles.Admin).With(Roles.Clerk, OwnAlerts),
        [Permission.ReadReports] = Grant(Roles.Supervisor, Roles.Auditor, Roles.Admin),
        [Permission.ReadJournal] = Grant(Roles.Supervisor, Roles.Auditor, Roles.Admin),
        // The kiosk shows each queue's length live.
        [Permission.WatchHall] = Grant(Roles.Kiosk, Roles.Display, Roles.Supervisor, Roles.Auditor, Roles.Admin),
        [Permission.WatchWindow] = Grant(Roles.Supervisor, Roles.Admin).With(Roles.Clerk, Own),
        [Permission.ReadMetrics] = Grant(Roles.Scrape, Roles.Auditor, Roles.Admin),
        [Permission.ChangeConfiguration] = Grant(Roles.Admin),
        [Permission.ViewDashboard] = Grant(Roles.Admin),
        [Permission.ReadCases] = Grant(Roles.Clerk, Roles.Supervisor, Roles.Auditor, Roles.Admin),

        // A clerk: the cases its window accepted (checked against the case).
        [Permission.StepCase] = Grant(Roles.Supervisor, Roles.Admin).With(Roles.Clerk, OwnCases),
        [Permission.ReadFollowUps] = Grant(Roles.Supervisor, Roles.Auditor, Roles.Admin),
        [Permission.CloseFollowUp] = Grant(Roles.Supervisor, Roles.Admin),

        // The wall shows the staffing advice; the audit page too.
        [Permission.ReadForecast] = Grant(Roles.Display, Roles.Supervisor, Roles.Auditor, Roles.Admin),
    }.ToFrozenDictionary();

    /// <summary>
    /// Null when <paramref name="caller"/> may do <paramref name="permission"/> on the hall (and window) named, else
    /// why not, in words for the 403's detail.
    /// </summary>
    public static string? Refusal(Caller caller, Permission permission, string? hall, string? window)
    {
        if (!Matrix[permission].TryGetValue(caller.Role, out var condition))
        {
            return $"The {caller.Role} role may not {Describe(permission)}.";
        }

        if (caller.Hall is not null && hall is not null && !string.Equals(caller.Hall, hall, StringComparison.Ordinal))
        {
            return $"This {caller.Role} token is for hall '{caller.Hall}', not this one.";
        }

        if (condition == Own && !string.Equals(caller.Window, window, StringComparison.Ordinal))
        {
            return $"This clerk token operates window '{caller.Window}' of hall '{caller.Hall}' only.";
        }

        return null;
    }

    /// <summary>Whether the caller reaches a hall at all (the hall list shows only those).</summary>
    public static bool Reaches(Caller caller, string hall) => caller.Hall is null || caller.Hall == hall;

    /// <summary>
    /// Null when the caller may acknowledge the alert: a clerk only its window's (a case's: the window that accepted it)
    /// and its queues' alerts, never a follow-up's, which is the supervisors' business.
    /// </summary>
    public static string? AcknowledgeRefusal(Caller caller, Hall hall, AlertView alert)
    {
        if (caller.Role != Roles.Clerk)
        {
            return Refusal(caller, Permission.AcknowledgeAlert, hall.Id, window: null);
        }

        if (alert.Kind == AlertKind.FollowUpOverdue)
        {
            return "The follow-up of a bad review is for a supervisor to acknowledge.";
        }

        var ownWindow = caller.Window is not null && (alert.Window == caller.Window || (alert.Window is null && hall.Serves(caller.Window, alert.Matter)));
        return ownWindow ? null : $"This clerk token acknowledges the alerts of window '{caller.Window}' and of the queues it serves only.";
    }

    /// <summary>Null when the caller may take a step of the case: a clerk only of the cases its window accepted.</summary>
    public static string? StepCaseRefusal(Caller caller, string hall, CaseView view) =>
        caller.Role != Roles.Clerk ? Refusal(caller, Permission.StepCase, hall, window: null)
        : caller.Window is not null && caller.Window == view.Window ? null
        : $"This clerk token takes the steps of the cases window '{caller.Window}' accepted only.";

    private static string Describe(Permission permission) => permission switch
    {
        Permission.ListHalls => "list the halls",
        Permission.ReadHall => "read a hall",
        Permission.IssueTicket => "issue tickets",
        Permission.CancelTicket => "cancel tickets",
        Permission.RateTicket => "rate a service",
        Permission.ReadTicket => "read tickets",
        Permission.OperateWindow => "operate windows",
        Permission.ReadAlerts => "read alerts",
        Permission.AcknowledgeAlert => "acknowledge alerts",
        Permission.ReadReports => "read reports",
        Permission.ReadJournal => "read or verify the journal",
        Permission.WatchHall => "follow a hall live",
        Permission.WatchWindow => "follow a window live",
        Permission.ReadMetrics => "read metrics",
        Permission.ChangeConfiguration => "change the configuration",
        Permission.ViewDashboard => "open the Orleans dashboard",
        Permission.ReadCases => "read cases",
        Permission.StepCase => "take steps of cases",
        Permission.ReadFollowUps => "read follow-ups of bad reviews",
        Permission.CloseFollowUp => "close follow-ups of bad reviews",
        Permission.ReadForecast => "read the staffing forecast",
        _ => permission.ToString(),
    };

    private static Dictionary<string, string?> Grant(params string[] roles) => roles.ToDictionary(r => r, string? (_) => null);

    private static Dictionary<string, string?> With(this Dictionary<string, string?> grants, string role, string condition)
    {
        grants[role] = condition;
        return grants;
    }
}
