using HallMonitor.Grains;

namespace HallMonitor.Web;

/// <summary>The pages: plain HTML and ES modules from wwwroot, one page per route.</summary>
public static class PageEndpoints
{
    public static WebApplication MapPages(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles();
        foreach (var page in (string[])["wall", "calling", "kiosk", "audit", "progress"])
        {
            app.MapGet($"/{page}/{{hall}}", (string hall, HallCatalog catalog, IWebHostEnvironment env) =>
                Page(env, $"{page}.html", found: catalog.TryGetHall(hall, out _)));
        }

        app.MapGet("/signin", (IWebHostEnvironment env) => Page(env, "signin.html", found: true));
        app.MapGet("/clerk/{hall}/{window}", (string hall, string window, HallCatalog catalog, IWebHostEnvironment env) =>
            Page(env, "clerk.html", found: catalog.TryGetHall(hall, out var h) && h.TryGetWindow(window, out _)));
        return app;
    }

    /// <summary>The page for a hall (and window) the catalog knows, else the friendly 404 page.</summary>
    private static IResult Page(IWebHostEnvironment env, string page, bool found) =>
        found ? new HtmlFile(env, page, StatusCodes.Status200OK) : new HtmlFile(env, "404.html", StatusCodes.Status404NotFound);

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
