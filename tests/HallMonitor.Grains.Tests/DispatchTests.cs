using System.Collections.Concurrent;

namespace HallMonitor.Grains.Tests;

public sealed class DispatchTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task CallNext_GivesPriorityTicketsFirst()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("03");
        await hall.IssueAsync("BIZ-REG");
        hall.Clock.Advance(Minute);
        var priority = await hall.IssueAsync("BIZ-REG", priority: true);

        var called = await hall.Window("03").CallNextAsync();

        Assert.Equal(priority.TicketId, called!.TicketId);
        Assert.True(called.Priority);
    }

    [Fact]
    public async Task CallNext_AcrossServedMatters_TakesTheLongestWaiting()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        var tax = await hall.IssueAsync("TAX-INV");
        hall.Clock.Advance(Minute);
        var registration = await hall.IssueAsync("BIZ-REG");
        hall.Clock.Advance(Minute);
        var transfer = await hall.IssueAsync("RE-TRANS");

        var order = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            order.Add((await hall.ServeNextAsync("01", Minute)).TicketId);
        }

        Assert.Equal([tax.TicketId, registration.TicketId, transfer.TicketId], order);
    }

    [Fact]
    public async Task CallNext_APriorityTicketOfAnyServedMatter_PassesLongerWaitingOnes()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        await hall.IssueAsync("BIZ-REG");
        hall.Clock.Advance(Minute);
        await hall.IssueAsync("TAX-INV");
        hall.Clock.Advance(Minute);
        var priority = await hall.IssueAsync("RE-TRANS", priority: true);

        var called = await hall.Window("01").CallNextAsync();

        Assert.Equal(priority.TicketId, called!.TicketId);
    }

    [Fact]
    public async Task CallNext_AmongPriorityTickets_TakesTheLongestWaiting()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        var olderPriority = await hall.IssueAsync("TAX-INV", priority: true);
        hall.Clock.Advance(Minute);
        var newerPriority = await hall.IssueAsync("BIZ-CHG", priority: true);

        var first = await hall.ServeNextAsync("01", Minute);
        var second = await hall.Window("01").CallNextAsync();

        Assert.Equal(olderPriority.TicketId, first.TicketId);
        Assert.Equal(newerPriority.TicketId, second!.TicketId);
    }

    [Fact]
    public async Task CallNext_AtADedicatedWindow_SkipsOlderTicketsOfOtherMatters()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("04");
        await hall.IssueAsync("BIZ-REG", priority: true);
        hall.Clock.Advance(Minute);
        var tax = await hall.IssueAsync("TAX-INV");

        var called = await hall.Window("04").CallNextAsync();

        Assert.Equal(tax.TicketId, called!.TicketId);
    }

    [Fact]
    public async Task CallNext_AtADedicatedWindow_WithOnlyOtherMattersWaiting_ReturnsNull()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("04");
        await hall.OpenAsync("03");
        await hall.IssueAsync("BIZ-REG");
        await hall.IssueAsync("BIZ-CHG");
        await hall.IssueAsync("TAX-INV");

        var atTaxWindow = await hall.Window("04").CallNextAsync();
        var atRegistrationWindow = await hall.Window("03").CallNextAsync();

        Assert.Equal("TAX-INV", atTaxWindow!.Matter);
        Assert.Equal("BIZ-REG", atRegistrationWindow!.Matter);
        await hall.Window("04").StartAsync();
        await hall.Window("04").CompleteAsync();
        Assert.Null(await hall.Window("04").CallNextAsync());
        Assert.Equal(1, (await hall.Matter("BIZ-CHG").GetQueueAsync()).Waiting);
    }

    [Fact]
    public async Task CallNext_WithNothingWaiting_ReturnsNullAndChangesNothing()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        var before = await HallPicture.TakeAsync(hall);

        var called = await hall.Window("01").CallNextAsync();

        Assert.Null(called);
        (await HallPicture.TakeAsync(hall)).AssertSameAs(before);
        Assert.Equal(WindowState.Idle, (await hall.Window("01").GetAsync()).State);
    }

    [Fact]
    public async Task CallNext_SkipsCancelledTickets()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("03");
        var cancelled = await hall.IssueAsync("BIZ-REG");
        var next = await hall.IssueAsync("BIZ-REG");
        await hall.Ticket(cancelled.TicketId).CancelAsync("kiosk");

        var called = await hall.Window("03").CallNextAsync();

        Assert.Equal(next.TicketId, called!.TicketId);
    }

    [Fact]
    public async Task CallNext_RacingCancels_EndsEachTicketEitherCalledOrCancelled()
    {
        await using var hall = await HallFixture.StartAsync();
        await hall.OpenAsync("01");
        await hall.OpenAsync("02");
        var issued = new List<TicketView>();
        for (var i = 0; i < 60; i++)
        {
            issued.Add(await hall.IssueAsync(i % 2 == 0 ? "BIZ-REG" : "TAX-INV"));
        }

        var cancelling = issued.Select(t => Task.Run(async () =>
        {
            try
            {
                await hall.Ticket(t.TicketId).CancelAsync("kiosk");
            }
            catch (ConflictException)
            {
            }
        }));
        var calling = HallFixture.WindowIds.Take(2).Select(window => Task.Run(async () =>
        {
            while (await hall.Window(window).CallNextAsync() is not null)
            {
                await hall.Window(window).NoShowAsync();
            }
        }));
        await Task.WhenAll(cancelling.Concat(calling));
        var journal = await hall.ReadJournalAsync();

        foreach (var ticket in issued)
        {
            var endings = journal.Where(r => r.Event is TicketCalled or TicketCancelled && ((ITicketEvent)r.Event).TicketId == ticket.TicketId).ToList();
            Assert.Single(endings);
            var state = (await hall.Ticket(ticket.TicketId).GetAsync()).State;
            Assert.Equal(endings[0].Event is TicketCalled ? TicketState.NoShow : TicketState.Cancelled, state);
        }
    }

    [Fact]
    public async Task CallNext_FromEveryWindowConcurrently_CallsEachTicketExactlyOnce()
    {
        await using var hall = await HallFixture.StartAsync();
        foreach (var window in HallFixture.WindowIds)
        {
            await hall.OpenAsync(window);
        }

        var issued = await Task.WhenAll(Enumerable.Range(0, 400)
            .Select(i => Task.Run(() => hall.IssueAsync(HallFixture.MatterCodes[i % 4], priority: i % 7 == 0))));
        var served = new ConcurrentBag<(string Window, TicketView Ticket)>();

        await Task.WhenAll(HallFixture.WindowIds.Select(window => Task.Run(async () =>
        {
            while (await hall.Window(window).CallNextAsync() is { } ticket)
            {
                await hall.Window(window).StartAsync();
                await hall.Window(window).CompleteAsync();
                served.Add((window, ticket));
            }
        })));
        var calls = (await hall.ReadJournalAsync()).Select(r => r.Event).OfType<TicketCalled>().ToList();

        Assert.Equal(issued.Select(t => t.TicketId).Order(StringComparer.Ordinal), served.Select(s => s.Ticket.TicketId).Order(StringComparer.Ordinal));
        Assert.Equal(issued.Select(t => t.TicketId).Order(StringComparer.Ordinal), calls.Select(c => c.TicketId).Order(StringComparer.Ordinal));
        Assert.All(served.Where(s => s.Window == "03"), s => Assert.Equal("BIZ-REG", s.Ticket.Matter));
        Assert.All(served.Where(s => s.Window == "04"), s => Assert.True(s.Ticket.Matter is "TAX-INV" or "RE-TRANS", s.Ticket.Matter));
        Assert.Equal(0, (await hall.Hall.GetSnapshotAsync()).Kpis.Waiting);
    }

    [Fact]
    public async Task CallNext_WhileTicketsAreStillBeingIssued_LosesNone()
    {
        await using var hall = await HallFixture.StartAsync();
        foreach (var window in HallFixture.WindowIds)
        {
            await hall.OpenAsync(window);
        }

        var served = new ConcurrentDictionary<string, string>();
        var issuedOne = NewSignal();

        var issuing = Task.WhenAll(Enumerable.Range(0, 300).Select(i => Task.Run(async () =>
        {
            var ticket = await hall.IssueAsync(HallFixture.MatterCodes[i % 4]);
            Interlocked.Exchange(ref issuedOne, NewSignal()).TrySetResult();
            return ticket;
        })));
        var serving = Task.WhenAll(HallFixture.WindowIds.Select(window => Task.Run(async () =>
        {
            while (true)
            {
                // Both read before asking: an empty answer after the last issue is final, and an issue
                // answered while the call runs wakes the window below.
                var allIssued = issuing.IsCompleted;
                var nextIssue = Volatile.Read(ref issuedOne).Task;
                if (await hall.Window(window).CallNextAsync() is not { } ticket)
                {
                    if (allIssued)
                    {
                        return;
                    }

                    // Tickets are still being issued, or other windows hold the rest; ask again after the next issue.
                    await Task.WhenAny(nextIssue, issuing);
                    continue;
                }

                await hall.Window(window).StartAsync();
                await hall.Window(window).CompleteAsync();
                Assert.True(served.TryAdd(ticket.TicketId, window), $"{ticket.TicketId} was called twice.");
            }
        })));
        var issued = await issuing;
        await serving;

        Assert.Equal(issued.Select(t => t.TicketId).Order(StringComparer.Ordinal), served.Keys.Order(StringComparer.Ordinal));
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
