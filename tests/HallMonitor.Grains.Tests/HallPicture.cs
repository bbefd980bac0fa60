using System.Text.Json;

namespace HallMonitor.Grains.Tests;

/// <summary>
/// Everything the hall shows through its grains, as JSON text so that two pictures compare by value: the
/// journal's length, every window, every queue in order, every ticket with its history, and the snapshot.
/// </summary>
internal sealed record HallPicture(int JournalLength, string Windows, string Queues, string Tickets, string Snapshot)
{
    public static async Task<HallPicture> TakeAsync(HallFixture hall)
    {
        var journal = await hall.ReadJournalAsync();
        var windows = new List<WindowView>();
        foreach (var id in HallFixture.WindowIds)
        {
            windows.Add(await hall.Window(id).GetAsync());
        }

        var queues = new List<QueueView>();
        foreach (var code in HallFixture.MatterCodes)
        {
            queues.Add(await hall.Matter(code).GetQueueAsync());
        }

        var tickets = new List<TicketView>();
        foreach (var issued in journal.Select(r => r.Event).OfType<TicketIssued>())
        {
            tickets.Add(await hall.Ticket(issued.TicketId).GetAsync());
        }

        var snapshot = await hall.Hall.GetSnapshotAsync();
        return new HallPicture(journal.Count, Json(windows), Json(queues), Json(tickets), Json(snapshot));
    }

    /// <summary>Asserts part by part, so that a failure names the part that differs.</summary>
    public void AssertSameAs(HallPicture expected)
    {
        Assert.Equal(expected.JournalLength, JournalLength);
        Assert.Equal(expected.Windows, Windows);
        Assert.Equal(expected.Queues, Queues);
        Assert.Equal(expected.Tickets, Tickets);
        Assert.Equal(expected.Snapshot, Snapshot);
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, HallMonitorJson.Options);
}
