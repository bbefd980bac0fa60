using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HallMonitor.Web.Tests;

/// <summary>The Prometheus rules and the Grafana dashboard in k8s/monitoring/: valid, tested, and naming only metrics that exist.</summary>
public sealed partial class DeployTests
{
    private static readonly string Deploy = RepositoryFiles.PathOf("k8s", "monitoring");

    [Fact]
    public async Task AlertingRules_PassPromtoolCheck()
    {
        var (exit, output) = await PromtoolAsync("check", "rules", Path.Combine(Deploy, "prometheus", "hallmonitor-rules.yml"));

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS: 6 rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlertingRules_PassTheirUnitTests()
    {
        var (exit, output) = await PromtoolAsync("test", "rules", Path.Combine(Deploy, "prometheus", "hallmonitor-rules.test.yml"));

        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task ScrapeConfiguration_PassesPromtoolCheck()
    {
        var (exit, output) = await PromtoolAsync("check", "config", Path.Combine(Deploy, "prometheus", "prometheus.yml"));

        Assert.True(exit == 0, output);
    }

    [Fact]
    public void Dashboard_IsWellFormed()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Deploy, "grafana", "hallmonitor-dashboard.json")));
        var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray().ToList();

        Assert.Equal("hallmonitor", dashboard.RootElement.GetProperty("uid").GetString());
        Assert.Equal(panels.Count, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
        foreach (var panel in panels.Where(p => p.GetProperty("type").GetString() != "row"))
        {
            var grid = panel.GetProperty("gridPos");
            Assert.True(grid.GetProperty("x").GetInt32() + grid.GetProperty("w").GetInt32() <= 24, panel.GetProperty("title").GetString());
            Assert.Contains(panel.GetProperty("targets").EnumerateArray(), t => !string.IsNullOrWhiteSpace(t.GetProperty("expr").GetString()));
        }
    }

    [Fact]
    public async Task RulesAndDashboard_NameOnlyMetricsTheProductExports()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        await client.IssueAsync("BIZ-REG");
        var scrape = await client.GetStringAsync("/metrics");
        var exported = scrape.Split('\n')
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l[..l.IndexOfAny(['{', ' '])])
            .ToHashSet(StringComparer.Ordinal);

        var referenced = MetricName().Matches(
                File.ReadAllText(Path.Combine(Deploy, "prometheus", "hallmonitor-rules.yml"))
                + File.ReadAllText(Path.Combine(Deploy, "grafana", "hallmonitor-dashboard.json")))
            .Select(m => m.Value)
            .ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(referenced);
        Assert.Equal([], referenced.Where(name => !exported.Contains(name)).Order(StringComparer.Ordinal));
    }

    private static async Task<(int Exit, string Output)> PromtoolAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("promtool") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var promtool = Process.Start(start)!;
        var output = await promtool.StandardOutput.ReadToEndAsync() + await promtool.StandardError.ReadToEndAsync();
        await promtool.WaitForExitAsync();
        return (promtool.ExitCode, output);
    }

    [GeneratedRegex(@"\b(?:hallmonitor|process|dotnet)_[a-z_]+\b")]
    private static partial Regex MetricName();
}
