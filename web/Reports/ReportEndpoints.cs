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
        return app;
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

/// <summary>The summary as CSV that Excel opens with Chinese intact: UTF-8 with a byte order mark, CRLF lines.</summary>
public static class SummaryCsv
{
    private static readonly string[] Columns =
    [
        "key", "label", "issued", "completed", "noShow", "cancelled", "transferred", "expired",
        "avgWaitSeconds", "p90WaitSeconds", "avgHandleSeconds", "p90HandleSeconds", "waitOvertime", "handleOvertime",
        "rated", "satisfactionRate", "serviceLevel", "noShowRate",
    ];

    public static byte[] Write(SummaryReport report)
    {
        var csv = new StringBuilder();
        csv.AppendJoin(',', Columns).Append("\r\n");
        foreach (var row in report.Rows)
        {
            object?[] values =
            [
                row.Key, row.Label, row.Issued, row.Completed, row.NoShow, row.Cancelled, row.Transferred, row.Expired,
                row.AvgWaitSeconds, row.P90WaitSeconds, row.AvgHandleSeconds, row.P90HandleSeconds, row.WaitOvertime, row.HandleOvertime,
                row.Rated, row.SatisfactionRate, row.ServiceLevel, row.NoShowRate,
            ];
            csv.AppendJoin(',', values.Select(Field)).Append("\r\n");
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    private static string Field(object? value)
    {
        var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
    }
}
