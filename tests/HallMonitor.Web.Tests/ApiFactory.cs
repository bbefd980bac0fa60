using System.Net.Http.Json;
using System.Text.Json;
using HallMonitor.Grains;
using HallMonitor.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HallMonitor.Web.Tests;

/// <summary>The web application in process, on its own SQLite database in a temporary folder.</summary>
public class ApiFactory : WebApplicationFactory<Program>
{
    private readonly ManualTimeProvider? _clock;

    /// <summary>
    /// On the system clock, or on <paramref name="clock"/> for tests about time; with <paramref name="auth"/> as the
    /// halls file's auth section; the data folder under a temporary folder, or <paramref name="dataDir"/> (a small
    /// file system of the test's own).
    /// </summary>
    public ApiFactory(ManualTimeProvider? clock = null, AuthDefinition? auth = null, string? dataDir = null)
    {
        _clock = clock;
        Folder = Directory.CreateTempSubdirectory("hallmonitor-web-").FullName;
        HallsFile = TestHalls.WriteFile(Folder, auth);
        DataDir = dataDir ?? Path.Combine(Folder, "data");
    }

    public string Folder { get; }

    public string HallsFile { get; }

    public string DataDir { get; }

    public string DatabasePath => Path.Combine(DataDir, "hallmonitor.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("HallMonitor:HallsFile", HallsFile);
        builder.UseSetting("HallMonitor:DataDir", DataDir);
        builder.UseSetting("HallMonitor:SqliteSynchronous", "normal");

        // The tests drive whole halls from one address; RateLimitTests switch the limit on.
        builder.UseSetting("HallMonitor:RateLimit:CommandsPerMinute", "0");
        builder.UseSetting("HallMonitor:RateLimit:LookupsPerMinute", "0");
        builder.UseFreeSiloPorts();
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
            if (Directory.Exists(Folder))
            {
                Directory.Delete(Folder, recursive: true);
            }
        }
    }
}

/// <summary>Typed calls of the HallMonitor API for tests.</summary>
internal static class Api
{
    public static readonly JsonSerializerOptions Json = HallMonitorJson.Options;

    public const string Hall = "/api/halls/" + TestHalls.HallId;

    public static async Task<TicketView> IssueAsync(this HttpClient client, string matter, bool priority = false)
    {
        var response = await client.PostAsJsonAsync($"{Hall}/tickets", new { matter, priority }, Json);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<TicketView>(Json))!;
    }

    public static async Task<WindowView> OpenAsync(this HttpClient client, string window, string clerk)
    {
        var response = await client.PostAsJsonAsync($"{Hall}/windows/{window}/open", new { clerk }, Json);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<WindowView>(Json))!;
    }

    /// <summary>Calls the next ticket; null on 204.</summary>
    public static async Task<TicketView?> CallNextAsync(this HttpClient client, string window)
    {
        var response = await client.PostAsync($"{Hall}/windows/{window}/call-next", null);
        response.EnsureSuccessStatusCode();
        return response.StatusCode == System.Net.HttpStatusCode.NoContent ? null : await response.Content.ReadFromJsonAsync<TicketView>(Json);
    }

    public static async Task<TicketView> ActAsync(this HttpClient client, string window, string action)
    {
        var response = await client.PostAsync($"{Hall}/windows/{window}/{action}", null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TicketView>(Json))!;
    }

    public static async Task<T> GetAsync<T>(this HttpClient client, string path) =>
        (await client.GetFromJsonAsync<T>(path, Json))!;

    public static Task<HallSnapshot> SnapshotAsync(this HttpClient client) => client.GetAsync<HallSnapshot>($"{Hall}/snapshot");

    public static Task<JournalVerification> VerifyJournalAsync(this HttpClient client) => client.GetAsync<JournalVerification>($"{Hall}/journal/verify");
}
