using HallMonitor.Web;

if (args is [TokenCommand.Name, ..])
{
    return TokenCommand.Run(args, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddHallMonitorSimulation();
builder.AddHallMonitorOrleans();
builder.AddHallMonitorApi();
builder.AddHallMonitorAccess();
builder.AddHallMonitorRateLimits();
builder.AddRawPushForBench();

var app = builder.Build();

app.UseSecurityHeaders();
app.UseHallMonitorErrors();
app.MapPages();
app.UseHallMonitorAccess();
app.UseRateLimiter();
app.MapHealthEndpoints();
app.MapPrometheusMetrics();
app.MapAccessApi();
app.MapHallApi();
app.MapTicketApi();
app.MapWindowApi();
app.MapJournalApi();
app.MapAlertApi();
app.MapCaseApi();
app.MapReportApi();
app.MapForecastApi();
app.MapAdminApi();
app.MapSimulationApi();
app.MapRawPushForBench();
app.MapHub<HallHub>("/hubs/hall").RequireAuthorization(AccessHostingExtensions.SignedInPolicy);
app.MapHallMonitorDashboard();
app.LogStartup();

app.Run();
return 0;

/// <summary>The web application; public so integration tests can host it.</summary>
public partial class Program;
