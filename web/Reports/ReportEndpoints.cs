using System.Globalization;
using System.Text;
using HallMonitor.Grains;

namespace HallMonitor.Web;

/// <summary>Auditors' reports (效能监察) over any range of service days, as JSON or CSV.</summary>
public static class ReportEndpoints
{
    public const int MaxDays = 366;

    public static IEndpointRouteBuilder MapReportApi(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api/halls/{hall}/reports").WithTags("Reports").Requires(Permission.ReadReports);
        reports.MapGet("/summary", SummaryAsync);
        reports.MapGet("/peaks", async (string hall, string? from, string? to, HallCatalog catalog, IGrainFactory grains) =>
            Range(from, to, out var range) is { } problem
                ? problem
                : TypedResults.Ok(await grains.GetGrain<IReportGrain>(catalog.GetHall(hall).Id).GetPeaksAsync(range.From, range.To)));
        reports.MapGet("/distribution", async (string hall, string? from, string? to, HallCatalog catalog, IGrainFactory grains) =>
            Range(from, to, out var range) is { } problem
                ? problem
                : TypedResults.Ok(await grains.GetGrain<IReportGrain>(catalog.GetHall(hall).Id).GetDistributionAsync(range.From, range.To)));
        reports.MapGet("/cases", (HttpContext context, string hall, string? from, string? to, string? format, HallCatalog catalog, IGrainFactory grains) =>
            CasesAsync(context, hall, from, to, format, catalog, grains, overdueOnly: false));
        reports.MapGet("/cases/overdue", (HttpContext context, string hall, string? from, string? to, string? format, HallCatalog catalog, IGrainFactory grains) =>
            CasesAsync(context, hall, from, to, format, catalog, grains, overdueOnly: true));
        return app;
    }

    /// <summary>
    /// The case report (JSON; as CSV its rows by matter and by window), or only its overdue cases (JSON array or CSV).
    /// </summary>
    private static async Task<IResult> CasesAsync(HttpContext context, string hall, string? from, string? to, string? format, HallCatalog catalog, IGrainFactory grains, bool overdueOnly)
    {
        var definition = catalog.GetHall(hall);
        var errors = new RequestErrors().OneOf("format", format, "json", "csv");
        if (Range(from, to, out var range, errors) is { } problem)
        {
            return problem;
        }

        var report = await grains.GetGrain<IReportGrain>(definition.Id).GetCasesAsync(range.From, range.To);
        var wantsCsv = format == "csv" || context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType == "text/csv");
        var name = $"{definition.Id}-{report.From:yyyyMMdd}-{report.To:yyyyMMdd}-{(overdueOnly ? "overdue-cases" : "cases")}.csv";
        return (wantsCsv, overdueOnly) switch
        {
            (true, false) => Results.File(CaseCsv.Rows(report), "text/csv; charset=utf-8", name),
            (true, true) => Results.File(CaseCsv.Overdue(report), "text/csv; charset=utf-8", name),
            (false, false) => TypedResults.Ok(report),
            (false, true) => TypedResults.Ok(report.Overdue),
        };
    }

    private static async Task<IResult> SummaryAsync(HttpContext context, string hall, string? from, string? to, string? groupBy, string? format, HallCatalog catalog, IGrainFactory grains)
    {
        var definition = catalog.GetHall(hall);
        var errors = new RequestErrors();
        var grouping = ReportGrouping.Hall;
        if (groupBy is not null && !(groupBy.Length <= RequestErrors.MaxQueryWordLength && groupBy.All(char.IsAsciiLetter) && Enum.TryParse(groupBy, ignoreCase: true, out grouping)))
        {
            errors.Add("groupBy", "groupBy is hall, window, clerk, matter, hour or day.");
        }

        errors.OneOf("format", format, "json", "csv");

        if (Range(from, to, out var range, errors) is { } problem)
        {
            return problem;
        }

        var report = await grains.GetGrain<IReportGrain>(definition.Id).GetSummaryAsync(range.From, range.To, grouping);
        var wantsCsv = format == "csv" || context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType == "text/csv");
        return wantsCsv
            ? Results.File(
                SummaryCsv.Write(report),
                "text/csv; charset=utf-8",
                $"{definition.Id}-{report.From:yyyyMMdd}-{report.To:yyyyMMdd}-by-{groupBy ?? "hall"}.csv")
            : TypedResults.Ok(report);
    }

    /// <summary>Parses the range of service days, or answers 400 naming what is wrong (with earlier errors).</summary>
    private static IResult? Range(string? from, string? to, out (DateOnly From, DateOnly To) range, RequestErrors? errors = null)
    {
        errors ??= new RequestErrors();
        var fromOk = Day("from", from, errors, out var first);
        var toOk = Day("to", to, errors, out var last);
        range = (first, last);
        if (fromOk && toOk)
        {
            if (last < first)
            {
                errors.Add("to", "to is before from.");
            }
            else if (last.DayNumber - first.DayNumber + 1 > MaxDays)
            {
                errors.Add("to", $"A report covers at most {MaxDays} days.");
            }
        }

        return errors.Any ? errors.ToResult() : null;
    }

    private static bool Day(string field, string? value, RequestErrors errors, out DateOnly day)
    {
        day = default;
        if (value is null)
        {
            errors.Add(field, $"{field} is required (YYYY-MM-DD).");
            return false;
        }

        if (value.Length > RequestErrors.MaxQueryWordLength || !DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            errors.Add(field, $"{field} must be a date like 2026-11-23.");
            return false;
        }

        return true;
    }
}

/// <summary>The case report as CSV, in the summary's format: its rows by matter and by window, or its overdue cases.</summary>
public static class CaseCsv
{
    public static byte[] Rows(CaseReport report) => SummaryCsv.Table(
        ["by", "key", "label", "accepted", "decided", "decidedOnTime", "onTimeRate", "open", "openOverdue", "followUpsOpened", "followUpsClosedOnTime", "followUpsOverdue"],
        report.ByMatter.Select(row => (By: "matter", Row: row)).Concat(report.ByWindow.Select(row => (By: "window", Row: row))).Select(line => (object?[])
        [
            line.By, line.Row.Key, line.Row.Label, line.Row.Accepted, line.Row.Decided, line.Row.DecidedOnTime, line.Row.OnTimeRate, line.Row.Open,
            line.Row.OpenOverdue, line.Row.FollowUpsOpened, line.Row.FollowUpsClosedOnTime, line.Row.FollowUpsOverdue,
        ]));

    public static byte[] Overdue(CaseReport report) => SummaryCsv.Table(
        ["caseId", "number", "matter", "matterName", "window", "state", "acceptedAt", "promisedDue", "statutoryDue", "decidedAt", "level"],
        report.Overdue.Select(c => (object?[])
        [
            c.CaseId, c.Number, c.Matter, c.MatterName, c.Window, Word(c.State), Time(c.AcceptedAt), Time(c.PromisedDue), Time(c.StatutoryDue), Time(c.DecidedAt), Word(c.Level),
        ]));

    private static string Word<TEnum>(TEnum value)
        where TEnum : struct, Enum => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    private static string? Time(DateTimeOffset? at) => at?.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
}

/// <summary>The summary as CSV that Excel opens with Chinese intact: UTF-8 with a byte order mark, CRLF lines.</summary>
public static class SummaryCsv
{
    /// <summary>A header line and one line per row, in the reports' CSV format.</summary>
    public static byte[] Table(IReadOnlyList<string> columns, IEnumerable<object?[]> rows)
    {
        var csv = new StringBuilder();
        csv.AppendJoin(',', columns).Append("\r\n");
        foreach (var values in rows)
        {
            csv.AppendJoin(',', values.Select(Field)).Append("\r\n");
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    private static readonly string[] Columns =
    [
        "key", "label", "issued", "completed", "noShow", "cancelled", "transferred", "expired",
        "avgWaitSeconds", "p90WaitSeconds", "avgHandleSeconds", "p90HandleSeconds", "waitOvertime", "handleOvertime",
        "rated", "satisfactionRate", "serviceLevel", "noShowRate",
    ];

    public static byte[] Write(SummaryReport report) => Table(Columns, report.Rows.Select(row => (object?[])
    [
        row.Key, row.Label, row.Issued, row.Completed, row.NoShow, row.Cancelled, row.Transferred, row.Expired,
        row.AvgWaitSeconds, row.P90WaitSeconds, row.AvgHandleSeconds, row.P90HandleSeconds, row.WaitOvertime, row.HandleOvertime,
        row.Rated, row.SatisfactionRate, row.ServiceLevel, row.NoShowRate,
    ]));

    private static string Field(object? value)
    {
        var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
    }
}
