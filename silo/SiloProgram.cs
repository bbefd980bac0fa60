using Microsoft.AspNetCore.Builder;

namespace HallMonitor.Silo;

/// <summary>
/// <c>dotnet run --project silo</c>: an Orleans silo on its own, hosting the hall grains and serving only
/// <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c>. The web edge co-hosts the same silo by default.
/// </summary>
public static class SiloProgram
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddHallMonitorSilo();
        builder.AddHallMonitorAccess();

        var app = builder.Build();
        app.UseHallMonitorAccess();
        app.MapHealthEndpoints();
        app.MapPrometheusMetrics();
        app.MapHallMonitorDashboard();
        app.Run();
    }
}
