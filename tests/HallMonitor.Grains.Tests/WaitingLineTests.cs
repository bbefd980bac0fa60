namespace HallMonitor.Grains.Tests;

/// <summary>The order of a matter's waiting line: priority tickets first, each part in issue order.</summary>
public sealed class WaitingLineTests
{
    [Fact]
    public void Ahead_CountsEveryTicketCalledBefore_FromAnywhereInALineWithGaps()
    {
        var line = new WaitingLine();
        for (var i = 1; i <= 40; i++)
        {
            line.Add(Ticket(i, priority: i % 7 == 0));
        }

        // Called and cancelled tickets leave gaps at the front, in the middle and at the end of both parts.
        foreach (var gone in new[] { 1, 2, 14, 17, 18, 19, 28, 33, 40 })
        {
            line.Remove(Id(gone));
        }

        var order = line.Longest(line.Count).OrderBy(t => t.Priority ? 0 : 1).ThenBy(t => t.Seq).Select(t => t.TicketId).ToList();
        Assert.Equal(31, order.Count);
        Assert.All(order, id => Assert.Equal(order.IndexOf(id), line.Ahead(id)));
    }

    [Fact]
    public void Ahead_OfANewTicket_IsEveryoneAlreadyWaiting()
    {
        var line = new WaitingLine();
        for (var i = 1; i <= 10_000; i++)
        {
            line.Add(Ticket(i, priority: i % 100 == 0));
        }

        line.Add(Ticket(10_001, priority: false));
        line.Add(Ticket(10_002, priority: true));

        Assert.Equal(10_001, line.Ahead(Id(10_001)));
        Assert.Equal(100, line.Ahead(Id(10_002)));
        Assert.Equal(0, line.Ahead("20261127-Z9999"));
    }

    private static string Id(int n) => $"20261127-A{n:00000}";

    private static WaitingTicket Ticket(int n, bool priority) =>
        new(Id(n), $"A{n:00000}", "BIZ-REG", priority, DateTimeOffset.UnixEpoch.AddSeconds(n), n, new DateOnly(2026, 11, 27), TicketChannel.Kiosk);
}
