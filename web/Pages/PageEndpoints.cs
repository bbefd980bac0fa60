using HallMonitor.Grains;

namespace HallMonitor.Web;

/// <summary>The pages: plain HTML and ES modules from wwwroot, one page per route.</summary>
public static class PageEndpoints
{
    public static WebApplication MapPages(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapGet("/wall/{hall}", (string hall, HallCatalog catalog, IWebHostEnvironment env) => Page(env, catalog, hall, "wall.html"));
        app.MapGet("/calling/{hall}", (string hall, HallCatalog catalog, IWebHostEnvironment env) => Page(env, catalog, hall, "calling.html"));
        app.MapGet("/kiosk/{hall}", (string hall, HallCatalog catalog, IWebHostEnvironment env) => Page(env, catalog, hall, "kiosk.html"));
        app.MapGet("/audit/{hall}", (string hall, HallCatalog catalog, IWebHostEnvironment env) => Page(env, catalog, hall, "audit.html"));
        app.MapGet("/clerk/{hall}/{window}", (string hall, string window, HallCatalog catalog, IWebHostEnvironment env) =>
            catalog.TryGetHall(hall, out var h) && h.TryGetWindow(window, out _) ? Page(env, catalog, hall, "clerk.html") : NotFound(env));
        return app;
    }

    private static IResult Page(IWebHostEnvironment env, HallCatalog catalog, string hall, string page) =>
        catalog.TryGetHall(hall, out _) ? new HtmlFile(env, page, StatusCodes.Status200OK) : NotFound(env);

    private static IResult NotFound(IWebHostEnvironment env) => new HtmlFile(env, "404.html", StatusCodes.Status404NotFound);

    /// <summary>An HTML file of wwwroot, answered with the given status (a friendly page for 404 too).</summary>
    private sealed class HtmlFile(IWebHostEnvironment env, string page, int status) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var file = env.WebRootFileProvider.GetFileInfo(page);
            if (!file.Exists)
            {
                httpContext.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "text/html; charset=utf-8";
            await using var stream = file.CreateReadStream();
            await stream.CopyToAsync(httpContext.Response.Body);
        }
    }
}
