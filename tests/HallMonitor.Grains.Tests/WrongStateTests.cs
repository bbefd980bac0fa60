namespace HallMonitor.Grains.Tests;

/// <summary>An action that does not fit the window's or ticket's state is refused and changes nothing.</summary>
public sealed class WrongStateTests
{
    [Fact]
    public async Task Complete_AtAnIdleWindow_IsRefused()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        await hall.IssueAsync("BIZ-REG");

        await AssertRefusedAsync(hall, () => hall.Window("01").CompleteAsync());
    }

    [Fact]
    public async Task Complete_WhileCalling_IsRefused()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        await hall.IssueAsync("BIZ-REG");
        await hall.Window("01").CallNextAsync();

        await AssertRefusedAsync(hall, () => hall.Window("01").CompleteAsync());
    }

    [Fact]
    public async Task Start_WithoutACall_IsRefused()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        await hall.IssueAsync("BIZ-REG");

        await AssertRefusedAsync(hall, () => hall.Window("01").StartAsync());
    }

    [Fact]
    public async Task Start_WhileServing_IsRefused()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        await hall.IssueAsync("BIZ-REG");
        await hall.Window("01").CallNextAsync();
        await hall.Window("01").StartAsync();

        await AssertRefusedAsync(hall, () => hall.Window("01").StartAsync());
    }

    [Fact]
    public async Task Recall_WhileServing_IsRefused()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        await hall.IssueAsync("BIZ-REG");
        await hall.Window("01").CallNextAsync();
        await hall.Window("01").StartAsync();

        await AssertRefusedAsync(hall, () => hall.Window("01").RecallAsync());
    }

    [Fact]
    public async Task Recall_AtAnIdleWindow_IsRefused()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");

        await AssertRefusedAsync(hall, () => hall.Window("01").RecallAsync());
    }

    [Fact]
    public async Task NoShow_WhileServing_IsRefused()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        await hall.IssueAsync("BIZ-REG");
        await hall.Window("01").CallNextAsync();
        await hall.Window("01").StartAsync();

        await AssertRefusedAsync(hall, () => hall.Window("01").NoShowAsync());
    }

    [Fact]
    public async Task CallNext_WhileCalling_IsRefused()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        await hall.IssueAsync("BIZ-REG");
        await hall.IssueAsync("BIZ-REG");
        await hall.Window("01").CallNextAsync();

        await AssertRefusedAsync(hall, () => hall.Window("01").CallNextAsync());
    }

    [Fact]
    public async Task CallNext_WhileServing_IsRefused()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        await hall.IssueAsync("BIZ-REG");
        await hall.IssueAsync("BIZ-REG");
        await hall.Window("01").CallNextAsync();
        await hall.Window("01").StartAsync();

        await AssertRefusedAsync(hall, () => hall.Window("01").CallNextAsync());
    }

    [Fact]
    public async Task CallNext_AtAClosedWindow_IsRefused()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.IssueAsync("BIZ-REG");

        await AssertRefusedAsync(hall, () => hall.Window("01").CallNextAsync());
    }

    [Fact]
    public async Task CallNext_AtAPausedWindow_IsRefused()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        await hall.Window("01").PauseAsync(clerk: null);
        await hall.IssueAsync("BIZ-REG");

        await AssertRefusedAsync(hall, () => hall.Window("01").CallNextAsync());
    }

    [Fact]
    public async Task Pause_WhileServing_IsRefused()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        await hall.IssueAsync("BIZ-REG");
        await hall.Window("01").CallNextAsync();
        await hall.Window("01").StartAsync();

        await AssertRefusedAsync(hall, () => hall.Window("01").PauseAsync(clerk: null));
    }

    [Fact]
    public async Task Pause_AClosedWindow_IsRefused()
    {
        await using var hall = await HallFixture.StartAsync();

        await AssertRefusedAsync(hall, () => hall.Window("01").PauseAsync(clerk: null));
    }

    [Fact]
    public async Task Resume_AnIdleWindow_IsRefused()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");

        await AssertRefusedAsync(hall, () => hall.Window("01").ResumeAsync(clerk: null));
    }

    [Fact]
    public async Task Close_WithATicketBeingCalled_IsRefused()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        await hall.IssueAsync("BIZ-REG");
        await hall.Window("01").CallNextAsync();

        await AssertRefusedAsync(hall, () => hall.Window("01").CloseAsync(clerk: null));
    }

    [Fact]
    public async Task Close_WhileServing_IsRefused()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        await hall.IssueAsync("BIZ-REG");
        await hall.Window("01").CallNextAsync();
        await hall.Window("01").StartAsync();

        await AssertRefusedAsync(hall, () => hall.Window("01").CloseAsync(clerk: null));
    }

    [Fact]
    public async Task Close_AClosedWindow_IsRefused()
    {
        await using var hall = await HallFixture.StartAsync();

        await AssertRefusedAsync(hall, () => hall.Window("01").CloseAsync(clerk: null));
    }

    [Fact]
    public async Task Open_AnOpenWindow_IsRefused()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01", "王芳");

        await AssertRefusedAsync(hall, () => hall.Window("01").OpenAsync("李娜"));
    }

    [Fact]
    public async Task Open_APausedWindow_IsRefused()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01", "王芳");
        await hall.Window("01").PauseAsync("王芳");

        await AssertRefusedAsync(hall, () => hall.Window("01").OpenAsync("王芳"));
    }

    [Fact]
    public async Task Pause_ByAnotherClerk_IsRefused()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01", "王芳");

        await AssertRefusedAsync(hall, () => hall.Window("01").PauseAsync("李娜"));
    }

    [Fact]
    public async Task Resume_ByAnotherClerk_IsRefused()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01", "王芳");
        await hall.Window("01").PauseAsync("王芳");

        await AssertRefusedAsync(hall, () => hall.Window("01").ResumeAsync("李娜"));
    }

    [Fact]
    public async Task Close_ByAnotherClerk_IsRefused()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01", "王芳");

        await AssertRefusedAsync(hall, () => hall.Window("01").CloseAsync("李娜"));
    }

    [Fact]
    public async Task Transfer_WhileCalling_IsRefused()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        await hall.IssueAsync("BIZ-REG");
        await hall.Window("01").CallNextAsync();

        await AssertRefusedAsync(hall, () => hall.Window("01").TransferAsync("TAX-INV"));
    }

    [Fact]
    public async Task Transfer_AtAnIdleWindow_IsRefused()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");

        await AssertRefusedAsync(hall, () => hall.Window("01").TransferAsync("TAX-INV"));
    }

    [Fact]
    public async Task UnknownWindowOrMatter_IsNotFound()
    {
        await using var hall = await HallFixture.StartAsync();
        var before = await HallPicture.TakeAsync(hall);

        await Assert.ThrowsAsync<NotFoundException>(() => hall.Window("99").OpenAsync("王芳"));
        await Assert.ThrowsAsync<NotFoundException>(() => hall.IssueAsync("NO-SUCH"));

        (await HallPicture.TakeAsync(hall)).AssertSameAs(before);
    }

    private static async Task AssertRefusedAsync(HallFixture hall, Func<Task> action)
    {
        var before = await HallPicture.TakeAsync(hall);

        await Assert.ThrowsAsync<ConflictException>(action);

        (await HallPicture.TakeAsync(hall)).AssertSameAs(before);
    }
}
