using HallMonitor.Grains;
using static Microsoft.Playwright.Assertions;

namespace HallMonitor.Browser.Tests;

/// <summary>A hall with tokens: a wall screen's token and a clerk's, for window 01.</summary>
public sealed class TokenHall : IAsyncLifetime
{
    public const string Id = "tokens";
    public const string WallToken = "browser-test-wall-token";
    public const string ClerkToken = "browser-test-clerk-token";

    public PageHost Host { get; } = new(new HallsFile
    {
        Halls =
        [
            new HallDefinition
            {
                Id = Id,
                Name = "令牌测试大厅",
                Matters = [new MatterDefinition { Code = "BIZ", Name = "企业设立登记", Category = "商事登记", Prefix = "A", WaitTargetSeconds = 1800, HandleTargetSeconds = 1200 }],
                Windows =
                [
                    new WindowDefinition { Id = "01", Name = "1号窗口", Kind = WindowKind.Comprehensive, Matters = ["*"] },
                    new WindowDefinition { Id = "02", Name = "2号窗口", Kind = WindowKind.Comprehensive, Matters = ["*"] },
                ],
            },
        ],
        Auth = new AuthDefinition
        {
            Tokens =
            [
                new TokenDefinition { Sha256 = AccessTokens.Hash(WallToken), Role = Roles.Display, Name = "大厅大屏", Hall = Id },
                new TokenDefinition { Sha256 = AccessTokens.Hash(ClerkToken), Role = Roles.Clerk, Name = "王芳", Hall = Id, Window = "01" },
            ],
        },
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>Pages with tokens on: sign-in, a token in the address taken out of it at once, and a refusal shown.</summary>
public sealed class SignInTests(BrowserFixture browser, TokenHall hall) : IClassFixture<BrowserFixture>, IClassFixture<TokenHall>
{
    [Fact]
    public async Task AWallWithoutAToken_GoesToSignIn_AndComesBackLive()
    {
        await using var page = await browser.OpenAsync(hall.Host, $"/wall/{TokenHall.Id}", 1280, 800);
        var p = page.Page;

        await p.WaitForURLAsync(url => url.Contains("/signin?next=", StringComparison.Ordinal), new() { WaitUntil = Microsoft.Playwright.WaitUntilState.DOMContentLoaded });
        await Expect(p.Locator("h1")).ToHaveTextAsync("请使用访问令牌登录");
        await p.FillAsync("#token", "a-wrong-token");
        await p.ClickAsync("#submit");
        await Expect(p.Locator("#error")).ToContainTextAsync("令牌无效");
        await page.ScreenshotAsync("signin-refused");

        await p.FillAsync("#token", TokenHall.WallToken);
        await p.ClickAsync("#submit");
        await p.WaitForURLAsync(url => url.EndsWith($"/wall/{TokenHall.Id}", StringComparison.Ordinal), new() { WaitUntil = Microsoft.Playwright.WaitUntilState.DOMContentLoaded });
        await page.WaitUntilLiveAsync();
        await page.ScreenshotAsync("signin-wall-live");
        Assert.Equal(TokenHall.WallToken, await p.EvaluateAsync<string>("sessionStorage.getItem('hallmonitor.token')"));
    }

    [Fact]
    public async Task ATokenInTheAddress_IsKeptForTheTab_AndTakenOutOfTheAddressAtOnce()
    {
        await using var page = await browser.OpenAsync(hall.Host, $"/calling/{TokenHall.Id}?token={TokenHall.WallToken}", 1280, 720);

        await page.WaitUntilLiveAsync();
        Assert.DoesNotContain("token=", page.Page.Url, StringComparison.Ordinal);
        Assert.EndsWith($"/calling/{TokenHall.Id}", page.Page.Url, StringComparison.Ordinal);
        Assert.Empty(page.Errors);
    }

    [Fact]
    public async Task AClerkOnAnotherWindowsConsole_SeesTheRefusal_AndNothingOfTheHall()
    {
        await using var page = await browser.OpenAsync(hall.Host, $"/clerk/{TokenHall.Id}/02?token={TokenHall.ClerkToken}", 1280, 800);

        await page.Page.WaitForSelectorAsync("body[data-live='refused']", new() { Timeout = 15_000 });
        await Expect(page.Page.Locator(".connection-banner")).ToContainTextAsync("window '01'");
        await page.ScreenshotAsync("signin-clerk-refused");
    }
}
