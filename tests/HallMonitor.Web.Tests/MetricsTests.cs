using System.Net.Http.Json;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace HallMonitor.Web.Tests;

public sealed partial class MetricsTests
{
    [Fact]
    public async Task Metrics_PassPromtoolAndCountWhatHappened()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        await client.IssueAsync("BIZ-REG");
        await client.IssueAsync("BIZ-REG");
        await client.IssueAsync("TAX-INV");
        await client.OpenAsync("09", "王芳");
        await client.CallNextAsync("09");
        await client.ActAsync("09", "start");
        await client.ActAsync("09", "complete");
        await client.OpenAsync("11", "李明");
        await client.CallNextAsync("11");
        await client.ActAsync("11", "no-show");
        await client.SnapshotAsync();

        var response = await client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("", await PromtoolAsync(text));
        Assert.Equal(2, Sample(text, "hallmonitor_tickets_issued_total", "hall=\"xinqu\",matter=\"BIZ-REG\""));
        Assert.Equal(1, Sample(text, "hallmonitor_tickets_finished_total", "hall=\"xinqu\",matter=\"BIZ-REG\",outcome=\"completed\""));
        Assert.Equal(1, Sample(text, "hallmonitor_tickets_finished_total", "hall=\"xinqu\",matter=\"TAX-INV\",outcome=\"no_show\""));
        Assert.Equal(1, Sample(text, "hallmonitor_ticket_wait_seconds_count", "hall=\"xinqu\",matter=\"BIZ-REG\""));
        Assert.Equal(1, Sample(text, "hallmonitor_ticket_wait_seconds_bucket", "hall=\"xinqu\",matter=\"BIZ-REG\",le=\"30\""));
        Assert.Equal(1, Sample(text, "hallmonitor_ticket_handle_seconds_count", "hall=\"xinqu\",matter=\"BIZ-REG\""));
        Assert.Equal(1, Sample(text, "hallmonitor_queue_waiting", "hall=\"xinqu\",matter=\"BIZ-REG\""));
        Assert.Equal(2, Sample(text, "hallmonitor_windows", "hall=\"xinqu\",state=\"idle\""));
        Assert.Equal(10, Sample(text, "hallmonitor_windows", "hall=\"xinqu\",state=\"closed\""));
        Assert.Equal(1800, Sample(text, "hallmonitor_queue_wait_target_seconds", "hall=\"xinqu\",matter=\"BIZ-REG\""));
        Assert.True(Sample(text, "hallmonitor_journal_append_seconds_count", "hall=\"xinqu\"") >= 9);
        Assert.Equal(3, Sample(text, "hallmonitor_http_requests_total", "method=\"POST\",route=\"/api/halls/{hall}/tickets/\",status_class=\"2xx\""));
        Assert.Contains("# TYPE process_cpu_seconds_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE dotnet_collection_count_total counter", text, StringComparison.Ordinal);
        Assert.True(Sample(text, "microsoft_orleans_orleans_grains", "grain_type=\"window\"") >= 2, "Orleans' meter reports the window activations.");
    }

    [Fact]
    public async Task Metrics_ExistAtZeroForEveryMatterFromStartUp_AndNeverNameATicketOrClerk()
    {
        await using var api = new ApiFactory();

        var text = await api.CreateClient().GetStringAsync("/metrics");

        foreach (var matter in new[] { "BIZ-REG", "TAX-INV", "RE-TRANS" })
        {
            var labels = $"hall=\"xinqu\",matter=\"{matter}\"";
            Assert.Equal(0, Sample(text, "hallmonitor_tickets_issued_total", labels));
            Assert.Equal(0, Sample(text, "hallmonitor_ticket_wait_seconds_count", labels));
            Assert.Equal(0, Sample(text, "hallmonitor_ticket_handle_seconds_count", labels));
            Assert.Equal(0, Sample(text, "hallmonitor_tickets_finished_total", labels + ",outcome=\"expired\""));
            Assert.Equal(0, Sample(text, "hallmonitor_alerts_raised_total", $"hall=\"xinqu\",kind=\"waitOvertime\",level=\"overtime\",matter=\"{matter}\""));
            Assert.Equal(0, Sample(text, "hallmonitor_ratings_total", labels + ",score=\"5\""));
        }

        Assert.Equal(0, Sample(text, "hallmonitor_alerts_open", "hall=\"xinqu\",kind=\"queueBacklog\""));
        Assert.DoesNotMatch(LabelNamedTicketOrClerk(), text);
    }

    [Fact]
    public async Task CaseMetrics_CountOpenCasesByLevelAsTheClockMoves_AndDecisionsOnTime()
    {
        // Monday 23 November 2026, 09:00 in Shanghai: RE-TRANS is promised by the end of Thursday 26.
        var clock = new HallMonitor.Testing.ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero));
        await using var api = new ApiFactory(clock);
        var client = api.CreateClient();
        const string labels = "hall=\"xinqu\",matter=\"RE-TRANS\"";
        var atStart = await client.GetStringAsync("/metrics");
        await client.IssueAsync("RE-TRANS");
        await client.IssueAsync("RE-TRANS");
        await client.OpenAsync("06", "李娜");
        string[] cases = [];
        foreach (var _ in Enumerable.Range(0, 2))
        {
            await client.CallNextAsync("06");
            await client.ActAsync("06", "start");
            cases = [.. cases, (await client.ActAsync("06", "complete")).CaseId!];
        }

        await client.PostAsJsonAsync($"{Api.Hall}/cases/{cases[0]}/steps", new { step = "review" }, Api.Json);
        await client.PostAsJsonAsync($"{Api.Hall}/cases/{cases[0]}/steps", new { step = "decide" }, Api.Json);
        await client.SnapshotAsync();
        var decided = await client.GetStringAsync("/metrics");
        clock.AdvanceTo(new DateTimeOffset(2026, 11, 26, 1, 0, 0, TimeSpan.Zero));
        var yellow = await client.GetStringAsync("/metrics");

        Assert.Equal(0, Sample(atStart, "hallmonitor_cases_open", "hall=\"xinqu\",level=\"ok\",matter=\"RE-TRANS\""));
        Assert.Equal(0, Sample(atStart, "hallmonitor_cases_finished_total", labels + ",on_time=\"false\""));
        Assert.Equal(1, Sample(decided, "hallmonitor_cases_open", "hall=\"xinqu\",level=\"ok\",matter=\"RE-TRANS\""));
        Assert.Equal(1, Sample(decided, "hallmonitor_cases_finished_total", labels + ",on_time=\"true\""));
        Assert.Equal(0, Sample(yellow, "hallmonitor_cases_open", "hall=\"xinqu\",level=\"ok\",matter=\"RE-TRANS\""));
        Assert.Equal(1, Sample(yellow, "hallmonitor_cases_open", "hall=\"xinqu\",level=\"yellow\",matter=\"RE-TRANS\""));
        Assert.Equal("", await PromtoolAsync(yellow));
    }

    [Fact]
    public async Task Metrics_OfOneHostNeverShowInAnother()
    {
        await using var busy = new ApiFactory();
        await using var quiet = new ApiFactory();
        var quietClient = quiet.CreateClient();

        await busy.CreateClient().IssueAsync("BIZ-REG");
        var text = await quietClient.GetStringAsync("/metrics");

        Assert.Equal(0, Sample(text, "hallmonitor_tickets_issued_total", "hall=\"xinqu\",matter=\"BIZ-REG\""));
        Assert.DoesNotContain("method=\"POST\"", text, StringComparison.Ordinal);
    }

    private static double Sample(string text, string name, string labels)
    {
        var line = text.Split('\n').SingleOrDefault(l => l.StartsWith($"{name}{{{labels}}} ", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"No sample {name}{{{labels}}}");
        return double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs <c>promtool check metrics</c> (Debian package prometheus) and returns what it complained about.</summary>
    private static async Task<string> PromtoolAsync(string metrics)
    {
        var start = new ProcessStartInfo("promtool", "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var promtool = Process.Start(start) ?? throw new InvalidOperationException("promtool is not installed; ./test.sh installs the Debian package prometheus.");
        await promtool.StandardInput.WriteAsync(metrics);
        promtool.StandardInput.Close();
        var output = await promtool.StandardOutput.ReadToEndAsync() + await promtool.StandardError.ReadToEndAsync();
        await promtool.WaitForExitAsync();
        return promtool.ExitCode == 0 ? "" : $"exit {promtool.ExitCode}: {output}";
    }

    [GeneratedRegex("[{,](ticket|ticket_id|ticketId|clerk|number)=")]
    private static partial Regex LabelNamedTicketOrClerk();
}
