
namespace HallMonitor.Web;

/// <summary>
/// The browser-side defences sent with every response (pages, static files, API, errors): a Content-Security-Policy
/// that allows only the app's own files (no inline script or style, no eval, no framing), no MIME sniffing, no referrer.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Scripts, styles, images, fonts and connections (fetch and the SignalR WebSocket) only from this origin;
    /// ECharts draws on a canvas and sets styles through the CSSOM, which style-src does not govern.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The same for the Orleans Dashboard (when enabled), whose own bundle writes style attributes and embeds its icon
    /// font as a data: URL; scripts stay its own files only.
    /// </summary>
    public const string DashboardContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'; font-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Adds the headers as the response starts, so that error pages written later get them too.</summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments(DashboardHostingExtensions.RoutePrefix)
                    ? DashboardContentSecurityPolicy
                    : ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";

                // Page URLs name halls and windows; no other site needs to learn them, and our own requests do not use it.
                headers["Referrer-Policy"] = "no-referrer";
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
