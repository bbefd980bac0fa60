using Microsoft.Playwright;

namespace HallMonitor.Browser.Tests;

/// <summary>
/// A Chromium per test class (classes run in parallel): Debian's <c>/usr/bin/chromium</c>, driven by
/// Playwright. Playwright's own browser download is never used (it cannot reach its CDN here, and need not).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where every page's screenshot is kept: <c>TestResults/screenshots</c> in the test output.</summary>
    public static string ScreenshotFolder { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots")).FullName;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright?.Dispose();
    }

    /// <summary>
    /// Opens a page of the host in a fresh browser context (its own localStorage), watching for errors;
    /// <paramref name="beforeNavigation"/> may set up routes first.
    /// </summary>
    public async Task<OpenPage> OpenAsync(PageHost host, string path, int width, int height, Func<IPage, Task>? beforeNavigation = null)
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        var opened = new OpenPage(context, page);
        if (beforeNavigation is not null)
        {
            await beforeNavigation(page);
        }

        var response = await page.GotoAsync(new Uri(host.BaseAddress, path).ToString(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        opened.Status = response?.Status ?? 0;
        return opened;
    }
}

/// <summary>A page in its own browser context, with every console error and uncaught exception it produced.</summary>
public sealed class OpenPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];

    public OpenPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Record($"console: {message.Text}");
            }
        };
        page.PageError += (_, error) => Record($"page error: {error}");
    }

    public IPage Page { get; }

    /// <summary>The HTTP status of the document.</summary>
    public int Status { get; set; }

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>Waits until the live connection has its snapshot (the page's connection banner is gone).</summary>
    public Task WaitUntilLiveAsync() =>
        Page.WaitForSelectorAsync("body[data-live='live']", new() { Timeout = 15_000 });

    /// <summary>Saves the page as it looks now under <c>TestResults/screenshots/{name}.png</c>.</summary>
    public Task ScreenshotAsync(string name) =>
        Page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"{name}.png") });

    public async ValueTask DisposeAsync() => await _context.CloseAsync();

    private void Record(string error)
    {
        lock (_errors)
        {
            _errors.Add(error);
        }
    }
}
