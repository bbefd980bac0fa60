namespace HallMonitor.Grains.Tests;

public sealed class RatingTests
{
    [Fact]
    public async Task Rate_CompletedService_RecordsScoreCommentAndTime()
    {
        await using var hall = await HallFixture.StartAsync();
        var ticket = await CompletedTicketAsync(hall);
        hall.Clock.Advance(TimeSpan.FromMinutes(1));

        var rated = await hall.Ticket(ticket).RateAsync(4, "  办事很快  ", "visitor");
        var stored = await hall.Ticket(ticket).GetAsync();

        Assert.Equal(new TicketRating(4, "办事很快", HallFixture.Morning.AddMinutes(6)), rated.Rating);
        Assert.Equal(rated.Rating, stored.Rating);
    }

    [Fact]
    public async Task Rate_IsJournaledWithTheWindowAndClerkThatServed()
    {
        await using var hall = await HallFixture.StartAsync();
        var ticket = await CompletedTicketAsync(hall);

        await hall.Ticket(ticket).RateAsync(2, null, "visitor");
        var record = (await hall.ReadJournalAsync()).Last(r => r.Event is TicketRated);

        var rated = Assert.IsType<TicketRated>(record.Event);
        Assert.Equal("ticketRated", record.Type);
        Assert.Equal("visitor", record.Actor);
        Assert.Equal(2, rated.Score);
        Assert.Equal("03", rated.Window);
        Assert.Equal("王芳", rated.Clerk);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Rate_AnyScoreFromOneToFive_IsAccepted(int score)
    {
        await using var hall = await HallFixture.StartAsync();
        var ticket = await CompletedTicketAsync(hall);

        var rated = await hall.Ticket(ticket).RateAsync(score, null, "visitor");

        Assert.Equal(score, rated.Rating!.Score);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(-1)]
    public async Task Rate_ScoreOutsideOneToFive_IsInvalidAndChangesNothing(int score)
    {
        await using var hall = await HallFixture.StartAsync();
        var ticket = await CompletedTicketAsync(hall);
        var before = await HallPicture.TakeAsync(hall);

        await Assert.ThrowsAsync<InvalidRequestException>(() => hall.Ticket(ticket).RateAsync(score, null, "visitor"));

        (await HallPicture.TakeAsync(hall)).AssertSameAs(before);
    }

    [Fact]
    public async Task Rate_Twice_IsRefusedAndKeepsTheFirstRating()
    {
        await using var hall = await HallFixture.StartAsync();
        var ticket = await CompletedTicketAsync(hall);
        await hall.Ticket(ticket).RateAsync(5, "很好", "visitor");
        var before = await HallPicture.TakeAsync(hall);

        await Assert.ThrowsAsync<ConflictException>(() => hall.Ticket(ticket).RateAsync(1, "改主意了", "visitor"));

        (await HallPicture.TakeAsync(hall)).AssertSameAs(before);
        Assert.Equal(5, (await hall.Ticket(ticket).GetAsync()).Rating!.Score);
    }

    [Fact]
    public async Task Rate_TwiceAtOnce_AcceptsExactlyOne()
    {
        await using var hall = await HallFixture.StartAsync();
        var ticket = await CompletedTicketAsync(hall);

        var attempts = await Task.WhenAll(Enumerable.Range(1, 5).Select(score => Task.Run(async () =>
        {
            try
            {
                await hall.Ticket(ticket).RateAsync(score, null, "visitor");
                return true;
            }
            catch (ConflictException)
            {
                return false;
            }
        })));

        Assert.Single(attempts, accepted => accepted);
        Assert.Single(await hall.ReadJournalAsync(), r => r.Type == "ticketRated");
    }

    [Theory]
    [InlineData(TicketState.Waiting)]
    [InlineData(TicketState.Called)]
    [InlineData(TicketState.Serving)]
    [InlineData(TicketState.NoShow)]
    [InlineData(TicketState.Cancelled)]
    [InlineData(TicketState.Transferred)]
    public async Task Rate_BeforeOrWithoutCompletion_IsRefusedAndChangesNothing(TicketState state)
    {
        await using var hall = await HallFixture.StartAsync();
        var ticket = await TicketInStateAsync(hall, state);
        var before = await HallPicture.TakeAsync(hall);

        await Assert.ThrowsAsync<ConflictException>(() => hall.Ticket(ticket).RateAsync(5, null, "visitor"));

        (await HallPicture.TakeAsync(hall)).AssertSameAs(before);
        Assert.Equal(state, (await hall.Ticket(ticket).GetAsync()).State);
    }

    [Fact]
    public async Task Rate_WithACommentOfFiveHundredCharacters_IsAccepted()
    {
        await using var hall = await HallFixture.StartAsync();
        var ticket = await CompletedTicketAsync(hall);
        var comment = new string('好', 500);

        var rated = await hall.Ticket(ticket).RateAsync(5, comment, "visitor");

        Assert.Equal(comment, rated.Rating!.Comment);
    }

    [Fact]
    public async Task Rate_WithALongerComment_IsInvalidAndChangesNothing()
    {
        await using var hall = await HallFixture.StartAsync();
        var ticket = await CompletedTicketAsync(hall);
        var before = await HallPicture.TakeAsync(hall);

        await Assert.ThrowsAsync<InvalidRequestException>(() => hall.Ticket(ticket).RateAsync(5, new string('好', 501), "visitor"));

        (await HallPicture.TakeAsync(hall)).AssertSameAs(before);
    }

    [Fact]
    public async Task Rate_WithABlankComment_StoresNoComment()
    {
        await using var hall = await HallFixture.StartAsync();
        var ticket = await CompletedTicketAsync(hall);

        var rated = await hall.Ticket(ticket).RateAsync(3, "   ", "visitor");

        Assert.Null(rated.Rating!.Comment);
    }

    [Fact]
    public async Task Rate_UnknownTicket_IsNotFound()
    {
        await using var hall = await HallFixture.StartAsync();

        await Assert.ThrowsAsync<NotFoundException>(() => hall.Ticket("20261123-A001").RateAsync(5, null, "visitor"));
    }

    /// <summary>A BIZ-REG ticket served at window 03 by 王芳 for five minutes, completed at 09:05.</summary>
    private static async Task<string> CompletedTicketAsync(HallFixture hall)
    {
        await hall.OpenAsync("03", "王芳");
        var issued = await hall.IssueAsync("BIZ-REG");
        await hall.ServeNextAsync("03", TimeSpan.FromMinutes(5));
        return issued.TicketId;
    }

    private static async Task<string> TicketInStateAsync(HallFixture hall, TicketState state)
    {
        await hall.OpenAsync("03");
        var issued = await hall.IssueAsync("BIZ-REG");
        var window = hall.Window("03");
        switch (state)
        {
            case TicketState.Cancelled:
                await hall.Ticket(issued.TicketId).CancelAsync("kiosk");
                break;
            case TicketState.Called:
                await window.CallNextAsync();
                break;
            case TicketState.NoShow:
                await window.CallNextAsync();
                await window.NoShowAsync();
                break;
            case TicketState.Serving:
                await window.CallNextAsync();
                await window.StartAsync();
                break;
            case TicketState.Transferred:
                await window.CallNextAsync();
                await window.StartAsync();
                await window.TransferAsync("BIZ-CHG");
                break;
        }

        return issued.TicketId;
    }
}
