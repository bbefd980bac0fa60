namespace HallMonitor.Grains;

/// <summary>The hall configuration file: the halls and, optionally, the access tokens.</summary>
public sealed record HallsFile
{
    public IReadOnlyList<HallDefinition> Halls { get; init; } = [];

    /// <summary>Access tokens; without this section the server runs open (demo mode).</summary>
    public AuthDefinition? Auth { get; init; }
}

/// <summary>A government service hall (政务服务大厅).</summary>
public sealed record HallDefinition
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary>IANA time zone; the service day is the hall's local calendar day.</summary>
    public string TimeZone { get; init; } = "Asia/Shanghai";

    /// <summary>Share of a target at which a yellow warning is raised before the red overtime.</summary>
    public double WarnRatio { get; init; } = 0.8;

    /// <summary>A matter's queue is backlogged when more than this many tickets wait.</summary>
    public int BacklogThreshold { get; init; } = 20;

    /// <summary>The working-day calendar (<c>calendars/{name}.json</c>); without one, Monday to Friday are working days.</summary>
    public string? Calendar { get; init; }

    /// <summary>Working days a supervisor has to close the follow-up of a bad review (差评整改).</summary>
    public int FollowUpDays { get; init; } = 5;

    public IReadOnlyList<MatterDefinition> Matters { get; init; } = [];

    public IReadOnlyList<WindowDefinition> Windows { get; init; } = [];
}

/// <summary>A matter (事项) citizens and companies come for.</summary>
public sealed record MatterDefinition
{
    public required string Code { get; init; }

    public required string Name { get; init; }

    /// <summary>The sector (e.g. 商事登记, 不动产登记).</summary>
    public required string Category { get; init; }

    /// <summary>Ticket number prefix, letters only; matters may share one.</summary>
    public required string Prefix { get; init; }

    /// <summary>Longest acceptable wait from ticket to first call.</summary>
    public required int WaitTargetSeconds { get; init; }

    /// <summary>Longest acceptable service at the window.</summary>
    public required int HandleTargetSeconds { get; init; }

    /// <summary>Promised time limit (承诺时限), in working days.</summary>
    public int? PromisedDays { get; init; }

    /// <summary>Statutory time limit (法定时限), in working days.</summary>
    public int? StatutoryDays { get; init; }
}

/// <summary>A service window (窗口).</summary>
public sealed record WindowDefinition
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public WindowKind Kind { get; init; } = WindowKind.Comprehensive;

    /// <summary>Matter codes served here; <c>["*"]</c> means every matter of the hall.</summary>
    public IReadOnlyList<string> Matters { get; init; } = ["*"];
}

/// <summary>How a window serves.</summary>
[GenerateSerializer, Alias("HallMonitor.WindowKind")]
public enum WindowKind
{
    /// <summary>Accepts every matter (一窗通办).</summary>
    Comprehensive,

    /// <summary>Serves a few matters of one sector.</summary>
    Dedicated,

    /// <summary>A self-service terminal area.</summary>
    SelfService,

    /// <summary>A remote video window (云帮办).</summary>
    Remote,
}

/// <summary>The access tokens of the configuration file.</summary>
public sealed record AuthDefinition
{
    public IReadOnlyList<TokenDefinition> Tokens { get; init; } = [];
}

/// <summary>An access token, stored as the SHA-256 of the token, with its role, scope and the name it acts under.</summary>
public sealed record TokenDefinition
{
    /// <summary>Lower-case or upper-case hex of the SHA-256 of the token's UTF-8 bytes; the token itself is never stored.</summary>
    public required string Sha256 { get; init; }

    /// <summary>One of <see cref="Roles"/>.</summary>
    public required string Role { get; init; }

    /// <summary>Who holds the token (a clerk, a kiosk, a screen): the actor the journal records, never the token.</summary>
    public string? Name { get; init; }

    /// <summary>The one hall the token is for; null means every hall (not allowed for clerks and supervisors).</summary>
    public string? Hall { get; init; }

    /// <summary>A clerk's window.</summary>
    public string? Window { get; init; }
}

/// <summary>The roles a token can have.</summary>
public static class Roles
{
    /// <summary>A ticket kiosk (取号机): issues and cancels tickets, takes ratings, reads the queues.</summary>
    public const string Kiosk = "kiosk";

    /// <summary>A clerk at one window of one hall.</summary>
    public const string Clerk = "clerk";

    /// <summary>A wall or calling screen: reads and subscribes, changes nothing.</summary>
    public const string Display = "display";

    /// <summary>Everything in one hall, acknowledging alerts included.</summary>
    public const string Supervisor = "supervisor";

    /// <summary>Read-only: reports, journals, metrics; every hall unless one is set.</summary>
    public const string Auditor = "auditor";

    /// <summary>Everything, configuration included.</summary>
    public const string Admin = "admin";

    /// <summary>Prometheus: <c>/metrics</c> and nothing else.</summary>
    public const string Scrape = "scrape";

    public static IReadOnlyList<string> All { get; } = [Kiosk, Clerk, Display, Supervisor, Auditor, Admin, Scrape];
}
