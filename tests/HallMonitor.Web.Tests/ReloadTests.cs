using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using HallMonitor.Grains;
using HallMonitor.Testing;

namespace HallMonitor.Web.Tests;

/// <summary>
/// An admin reloads the halls file without a restart: a valid file applies at once (tokens, targets, names) and is
/// journaled in every hall; a bad file or one that needs a restart changes nothing.
/// </summary>
public sealed class ReloadTests : IDisposable
{
    private const string AdminToken = "reload-test-admin-token";
    private const string KioskToken = "reload-test-kiosk-token";
    private const string NewKioskToken = "reload-test-new-kiosk-token";
    private static readonly DateTimeOffset Morning = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);

    private readonly ManualTimeProvider _clock = new(Morning);
    private readonly ApiFactory _factory;
    private readonly HttpClient _admin;
    private readonly HttpClient _kiosk;

    public ReloadTests()
    {
        _factory = new ApiFactory(_clock, new AuthDefinition
        {
            Tokens =
            [
                new TokenDefinition { Sha256 = AccessTokens.Hash(AdminToken), Role = Roles.Admin, Name = "管理员" },
                new TokenDefinition { Sha256 = AccessTokens.Hash(KioskToken), Role = Roles.Kiosk, Name = "kiosk-1", Hall = TestHalls.HallId },
            ],
        });
        _admin = Client(AdminToken);
        _kiosk = Client(KioskToken);
    }

    [Fact]
    public async Task AValidFile_AppliesTokensAndTargetsAtOnce_AndEveryHallJournalsWhatChangedAndWho()
    {
        var ticket = await IssueAsync(_kiosk, "BIZ-REG");
        Edit(file => file with
        {
            Halls = [.. file.Halls.Select(h => h.Id != TestHalls.HallId ? h : h with
            {
                Matters = [.. h.Matters.Select(m => m.Code == "BIZ-REG" ? m with { WaitTargetSeconds = 60, Name = "企业开办" } : m)],
            })],
            Auth = new AuthDefinition
            {
                Tokens = [.. file.Auth!.Tokens.Where(t => t.Name != "kiosk-1"), new TokenDefinition { Sha256 = AccessTokens.Hash(NewKioskToken), Role = Roles.Kiosk, Name = "kiosk-2", Hall = TestHalls.HallId }],
            },
        });

        var reload = await _admin.PostAsync("/api/admin/reload", null);

        Assert.Equal(HttpStatusCode.OK, reload.StatusCode);
        var result = await reload.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["token 'kiosk-2' added (kiosk)", "token 'kiosk-1' withdrawn"], result.GetProperty("tokens").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await _kiosk.PostAsJsonAsync($"{Api.Hall}/tickets", new { matter = "TAX-INV" })).StatusCode);
        using var newKiosk = Client(NewKioskToken);
        await IssueAsync(newKiosk, "TAX-INV");
        var hall = await _admin.GetFromJsonAsync<HallDefinition>(Api.Hall, Api.Json);
        Assert.Equal((60, "企业开办"), hall!.Matters.Where(m => m.Code == "BIZ-REG").Select(m => (m.WaitTargetSeconds, m.Name)).Single());

        // The queue took up the new target: the waiting ticket's warning comes at 0.8 × 60 s, not at 0.8 × 1800 s.
        for (var second = 0; second < 50; second += 10)
        {
            _clock.Advance(TimeSpan.FromSeconds(10));
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        AlertView[] alerts;
        do
        {
            await Task.Delay(50);
            alerts = (await _admin.GetFromJsonAsync<AlertView[]>($"{Api.Hall}/alerts", Api.Json))!;
        }
        while (!alerts.Any(a => a.AlertId == $"wait-{ticket.TicketId}") && DateTime.UtcNow < deadline);
        var warning = alerts.Single(a => a.AlertId == $"wait-{ticket.TicketId}");
        Assert.Equal((60, AlertLevel.Warning), (warning.Target, warning.Level));
        Assert.InRange(warning.RaisedAt, Morning.AddSeconds(48), Morning.AddSeconds(50));

        var journal = await _admin.GetFromJsonAsync<JsonElement>($"{Api.Hall}/journal?limit=1000");
        var changed = journal.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "configurationChanged");
        Assert.Equal("管理员", changed.GetProperty("actor").GetString());
        var changes = changed.GetProperty("data").GetProperty("changes").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Contains("hall 'xinqu'.matter 'BIZ-REG'.waitTargetSeconds: 1800 → 60", changes);
        Assert.Contains("token 'kiosk-1' withdrawn", changes);
        Assert.DoesNotContain(changes, c => c!.Contains(NewKioskToken, StringComparison.Ordinal) || c.Contains(AccessTokens.Hash(NewKioskToken), StringComparison.Ordinal));
        Assert.True((await _admin.GetFromJsonAsync<JournalVerification>($"{Api.Hall}/journal/verify", Api.Json))!.Ok);
        var other = await _admin.GetFromJsonAsync<JsonElement>($"/api/halls/{TestHalls.OtherHallId}/journal?limit=10");
        Assert.Single(other.GetProperty("events").EnumerateArray(), e => e.GetProperty("type").GetString() == "configurationChanged");

        // The same file again changes nothing and journals nothing more.
        (await _admin.PostAsync("/api/admin/reload", null)).EnsureSuccessStatusCode();
        var again = await _admin.GetFromJsonAsync<JsonElement>($"{Api.Hall}/journal?limit=1000");
        Assert.Single(again.GetProperty("events").EnumerateArray(), e => e.GetProperty("type").GetString() == "configurationChanged");
    }

    [Fact]
    public async Task AWithdrawnTokensLiveConnection_IsEnded_WhileOthersHearTheChange()
    {
        await using var kioskHub = await ConnectAsync(KioskToken);
        await using var adminHub = await ConnectAsync(AdminToken);
        await kioskHub.InvokeAsync<HallSnapshot>("JoinHall", TestHalls.HallId);
        await adminHub.InvokeAsync<HallSnapshot>("JoinHall", TestHalls.HallId);
        Edit(file => file with { Auth = new AuthDefinition { Tokens = [.. file.Auth!.Tokens.Where(t => t.Name != "kiosk-1")] } });

        (await _admin.PostAsync("/api/admin/reload", null)).EnsureSuccessStatusCode();

        var ended = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            while (true)
            {
                await kioskHub.NextAsync(TimeSpan.FromSeconds(5));
            }
        });
        Assert.IsType<ChannelClosedException>(ended);
        var heard = await adminHub.UntilAsync(m => m.Target == "event" && m.Argument<JsonElement>().GetProperty("type").GetString() == "configurationChanged");
        Assert.NotEmpty(heard);
    }

    [Fact]
    public async Task ABadFile_Is422NamingEveryProblem_AndChangesNothing()
    {
        var before = await File.ReadAllTextAsync(_factory.HallsFile);
        Edit(file => file with
        {
            Halls = [.. file.Halls.Select(h => h.Id != TestHalls.HallId ? h : h with { WarnRatio = 2, BacklogThreshold = 0 })],
        });

        var reload = await _admin.PostAsync("/api/admin/reload", null);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reload.StatusCode);
        var problems = (await reload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("problems").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p!.Contains("warnRatio", StringComparison.Ordinal));
        Assert.Contains(problems, p => p!.Contains("backlogThreshold", StringComparison.Ordinal));
        Assert.Equal(0.8, (await _admin.GetFromJsonAsync<HallDefinition>(Api.Hall, Api.Json))!.WarnRatio);
        await AssertNoConfigurationEventAsync();

        await File.WriteAllTextAsync(_factory.HallsFile, "{ \"halls\": [ ");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await _admin.PostAsync("/api/admin/reload", null)).StatusCode);
        await File.WriteAllTextAsync(_factory.HallsFile, before);
    }

    [Fact]
    public async Task AChangeThatNeedsARestart_Is409NamingIt_AndChangesNothing()
    {
        Edit(file => file with
        {
            Halls = [.. file.Halls.Select(h => h.Id != TestHalls.HallId ? h : h with
            {
                Windows = [.. h.Windows, new WindowDefinition { Id = "99", Name = "99号窗口" }],
                Matters = [.. h.Matters.Select(m => m.Code == "TAX-INV" ? m with { Prefix = "T" } : m)],
                Name = "改名",
            })],
        });

        var reload = await _admin.PostAsync("/api/admin/reload", null);

        Assert.Equal(HttpStatusCode.Conflict, reload.StatusCode);
        var needRestart = (await reload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("needRestart").EnumerateArray().Select(p => p.GetString());
        Assert.Equal(["hall 'xinqu'.matter 'TAX-INV': prefix B → T", "hall 'xinqu': window '99' added"], needRestart.Order(StringComparer.Ordinal));
        Assert.Equal("长春新区政务服务中心", (await _admin.GetFromJsonAsync<HallDefinition>(Api.Hall, Api.Json))!.Name);
        await AssertNoConfigurationEventAsync();
    }

    [Fact]
    public async Task OnlyAnAdminReloads()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await _kiosk.PostAsync("/api/admin/reload", null)).StatusCode);
        using var anonymous = _factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/admin/reload", null)).StatusCode);
    }

    public void Dispose() => _factory.Dispose();

    private HttpClient Client(string token)
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    private Task<HubClient> ConnectAsync(string token) =>
        HubClient.ConnectAsync(() => _factory.Server.CreateWebSocketClient().ConnectAsync(new Uri($"ws://localhost/hubs/hall?access_token={token}"), CancellationToken.None));

    private void Edit(Func<HallsFile, HallsFile> change)
    {
        var file = JsonSerializer.Deserialize<HallsFile>(File.ReadAllText(_factory.HallsFile), HallMonitorJson.Options)!;
        File.WriteAllText(_factory.HallsFile, JsonSerializer.Serialize(change(file), HallMonitorJson.Options));
    }

    private static async Task<TicketView> IssueAsync(HttpClient client, string matter)
    {
        var response = await client.PostAsJsonAsync($"{Api.Hall}/tickets", new { matter }, Api.Json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<TicketView>(Api.Json))!;
    }

    private async Task AssertNoConfigurationEventAsync()
    {
        var journal = await _admin.GetFromJsonAsync<JsonElement>($"{Api.Hall}/journal?limit=1000");
        Assert.DoesNotContain(journal.GetProperty("events").EnumerateArray(), e => e.GetProperty("type").GetString() == "configurationChanged");
    }
}
