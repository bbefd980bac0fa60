using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HallMonitor.Browser.Tests;

/// <summary>A live page through a connection that drops or a join that fails: it says so, and comes back by itself.</summary>
public sealed partial class LiveConnectionTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const char RecordSeparator = '\u001e';

    [Fact]
    public async Task Wall_ShowsReconnectingWhileTheConnectionIsDown_ThenCatchesUp()
    {
        await using var host = new PageHost();
        using var api = host.Api();
        var sockets = new List<IWebSocketRoute>();
        var refuse = false;
        await using var page = await browser.OpenAsync(host, "/wall/xinqu", 1920, 1080, async p =>
        {
            // While the network is down, neither the WebSocket nor the HTTP fallbacks of SignalR get through.
            await p.RouteAsync(HubAddress(), route => Volatile.Read(ref refuse) ? route.AbortAsync() : route.ContinueAsync());
            await p.RouteWebSocketAsync(HubAddress(), socket =>
            {
                if (Volatile.Read(ref refuse))
                {
                    socket.CloseAsync(new() { Code = 1011, Reason = "hall network down" });
                    return;
                }

                lock (sockets)
                {
                    sockets.Add(socket);
                }

                socket.ConnectToServer();
            });
        });
        await page.WaitUntilLiveAsync();
        var banner = page.Page.Locator(".connection-banner");

        Volatile.Write(ref refuse, true);
        lock (sockets)
        {
            sockets.ForEach(socket => socket.CloseAsync(new() { Code = 1011, Reason = "hall network down" }));
        }

        await Expect(banner).ToBeVisibleAsync();
        await Expect(banner).ToHaveTextAsync("连接中断，正在重新连接…");
        var missed = await api.IssueAsync("TAX-INV");
        await page.ScreenshotAsync("wall-reconnecting");
        await Expect(banner).ToBeVisibleAsync();
        await Expect(page.Page.Locator(".kpi[data-kpi='issued'] .kpi-value")).ToHaveTextAsync("0");
        Volatile.Write(ref refuse, false);

        await page.WaitUntilLiveAsync();
        await Expect(banner).ToBeHiddenAsync();
        await Expect(page.Page.Locator(".kpi[data-kpi='issued'] .kpi-value")).ToHaveTextAsync("1");
        await Expect(page.Page.Locator(".queue-row[data-matter='TAX-INV'] .queue-waiting")).ToHaveTextAsync("1");
        Assert.Equal("B001", missed.Number);
    }

    [Fact]
    public async Task Wall_ComesBackByItself_WhenJoiningTheHallFails()
    {
        await using var host = new PageHost();
        var failed = 0;
        await using var page = await browser.OpenAsync(host, "/wall/xinqu", 1920, 1080, p => p.RouteWebSocketAsync(HubAddress(), socket =>
        {
            var server = socket.ConnectToServer();
            socket.OnMessage(frame => server.Send(frame.Text ?? ""));

            // The first answer to JoinHall becomes an error, as when the hall cannot answer for a moment.
            server.OnMessage(frame => socket.Send(string.Join(RecordSeparator, (frame.Text ?? "").Split(RecordSeparator).Select(record =>
                IsCompletionWithResult(record) && Interlocked.Exchange(ref failed, 1) == 0 ? FailedCompletion(record) : record))));
        }));

        await page.WaitUntilLiveAsync();

        Assert.Equal(1, failed);
        await Expect(page.Page.Locator(".tile")).ToHaveCountAsync(16);
    }

    private static bool IsCompletionWithResult(string record)
    {
        if (record.Length == 0 || record[0] != '{')
        {
            return false;
        }

        using var message = JsonDocument.Parse(record);
        return message.RootElement.TryGetProperty("type", out var type) && type.GetInt32() == 3 && message.RootElement.TryGetProperty("result", out _);
    }

    private static string FailedCompletion(string record) => new JsonObject
    {
        ["type"] = 3,
        ["invocationId"] = JsonNode.Parse(record)!["invocationId"]!.GetValue<string>(),
        ["error"] = "The hall did not answer in time.",
    }.ToJsonString();

    [GeneratedRegex("/hubs/hall")]
    private static partial Regex HubAddress();
}
