using System.Net.Http.Json;
using System.Text.Json;
using HallMonitor.Grains;
using HallMonitor.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HallMonitor.Browser.Tests;

/// <summary>
/// The product on real Kestrel (a browser needs a real socket) on a free loopback port, with the demo halls
/// of web/halls.json (or a test's own halls file) and its own SQLite database in a temporary folder; on a manual
/// clock for tests about time.
/// </summary>
public sealed class PageHost : WebApplicationFactory<Program>
{
    private readonly ManualTimeProvider? _clock;
    private readonly HallsFile? _halls;
    private readonly string _folder = Directory.CreateTempSubdirectory("hallmonitor-pages-").FullName;
    private Uri? _baseAddress;

    public PageHost()
    {
        UseKestrel(0);
    }

    /// <summary>On <paramref name="clock"/>: the hall's timers fire as the test moves it.</summary>
    public PageHost(ManualTimeProvider clock)
        : this()
    {
        _clock = clock;
    }

    /// <summary>Serving <paramref name="halls"/> instead of the demo halls.</summary>
    public PageHost(HallsFile halls)
        : this()
    {
        _halls = halls;
    }

    /// <summary>Configuration settings beside the test's own, e.g. <c>HallMonitor:Dashboard</c>.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    public Uri BaseAddress
    {
        get
        {
            if (_baseAddress is null)
            {
                StartServer();
                var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
                _baseAddress = new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
            }

            return _baseAddress;
        }
    }

    /// <summary>The SQLite file of the product, for tests that tamper with the journal.</summary>
    public string DatabasePath => Path.Combine(_folder, "data", "hallmonitor.db");

    /// <summary>An HTTP client of the API, as a script beside the browser would use it.</summary>
    public HallApi Api(string hall = "xinqu") => new(new HttpClient { BaseAddress = BaseAddress }, hall);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("HallMonitor:DataDir", Path.Combine(_folder, "data"));
        builder.UseSetting("HallMonitor:SqliteSynchronous", "normal");
        builder.UseFreeSiloPorts();
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        // The fixtures drive whole working days from one address.
        builder.UseSetting("HallMonitor:RateLimit:CommandsPerMinute", "0");
        if (_halls is not null)
        {
            var file = Path.Combine(_folder, "halls.json");
            File.WriteAllText(file, JsonSerializer.Serialize(_halls, HallMonitorJson.Options));
            builder.UseSetting("HallMonitor:HallsFile", file);
        }

        if (_clock is not null)
        {
            builder.ConfigureServices(services => services.UseManualClock(_clock));
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
        }
    }
}

/// <summary>The calls tests make beside the browser: issuing tickets and working windows.</summary>
public sealed class HallApi(HttpClient client, string hall) : IDisposable
{
    private static readonly JsonSerializerOptions Json = HallMonitorJson.Options;

    private string Hall => $"/api/halls/{hall}";

    public async Task<TicketView> IssueAsync(string matter, bool priority = false)
    {
        var response = await client.PostAsJsonAsync($"{Hall}/tickets", new { matter, priority }, Json);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TicketView>(Json))!;
    }

    public async Task OpenAsync(string window, string clerk)
    {
        var response = await client.PostAsJsonAsync($"{Hall}/windows/{window}/open", new { clerk }, Json);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Calls the next ticket at a window and answers it.</summary>
    public async Task<TicketView> CallNextAsync(string window)
    {
        var response = await client.PostAsync($"{Hall}/windows/{window}/call-next", null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TicketView>(Json))!;
    }

    /// <summary>recall, start, complete, no-show.</summary>
    public async Task<TicketView> ActAsync(string window, string action)
    {
        var response = await client.PostAsync($"{Hall}/windows/{window}/{action}", null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TicketView>(Json))!;
    }

    /// <summary>Transfers the visitor being served to another matter and answers the new leg.</summary>
    public async Task<TicketView> TransferAsync(string window, string matter)
    {
        var response = await client.PostAsJsonAsync($"{Hall}/windows/{window}/transfer", new { matter }, Json);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TicketView>(Json))!;
    }

    public async Task CancelAsync(string ticketId)
    {
        var response = await client.PostAsync($"{Hall}/tickets/{ticketId}/cancel", null);
        response.EnsureSuccessStatusCode();
    }

    public async Task RateAsync(string ticketId, int score, string? comment = null)
    {
        var response = await client.PostAsJsonAsync($"{Hall}/tickets/{ticketId}/rating", new { score, comment }, Json);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Any command of the hall's API with a JSON body, e.g. <c>cases/{id}/steps</c>.</summary>
    public async Task PostAsync(string path, object body)
    {
        var response = await client.PostAsJsonAsync($"{Hall}/{path}", body, Json);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Any read of the hall's API, e.g. <c>reports/summary?from=…</c> or <c>journal/verify</c>.</summary>
    public async Task<T> GetAsync<T>(string path) =>
        (await client.GetFromJsonAsync<T>($"{Hall}/{path}", Json))!;

    public async Task<WindowView> WindowAsync(string window) =>
        (await client.GetFromJsonAsync<WindowView>($"{Hall}/windows/{window}", Json))!;

    public async Task<TicketView> TicketAsync(string ticketId) =>
        (await client.GetFromJsonAsync<TicketView>($"{Hall}/tickets/{ticketId}", Json))!;

    public void Dispose() => client.Dispose();
}
