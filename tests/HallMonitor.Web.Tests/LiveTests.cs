using System.Net;
using System.Net.Http.Json;
using HallMonitor.Grains;
using HallMonitor.Testing;

namespace HallMonitor.Web.Tests;

/// <summary>The SignalR hub through its real protocol: snapshot, ordered events, alerts to the right people.</summary>
public sealed class LiveTests
{
    private static readonly DateTimeOffset Morning = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task JoinHall_AnswersTheSnapshotThenEveryEventInOrder()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        await using var wall = await HubConnections.ConnectAsync(api);

        var snapshot = await wall.InvokeAsync<HallSnapshot>("JoinHall", TestHalls.HallId);
        var ticket = await client.IssueAsync("BIZ-REG");
        await client.OpenAsync("09", "王芳");
        await client.CallNextAsync("09");
        await client.ActAsync("09", "start");
        await client.ActAsync("09", "complete");
        var events = new List<HallEventMessage>();
        for (var i = 0; i < 5; i++)
        {
            events.Add((await wall.NextAsync("event")).Argument<HallEventMessage>());
        }

        Assert.Equal(0, snapshot.Seq);
        Assert.Equal(12, snapshot.Windows.Count);
        Assert.Equal([1, 2, 3, 4, 5], events.Select(e => e.Seq));
        Assert.Equal(["ticketIssued", "windowOpened", "ticketCalled", "serviceStarted", "serviceCompleted"], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal(TestHalls.HallId, e.Hall));
        Assert.Equal(ticket.Number, events[2].Data.GetProperty("number").GetString());
        Assert.Equal("09", events[2].Data.GetProperty("window").GetString());
        Assert.Equal("王芳", events[2].Actor);
    }

    [Fact]
    public async Task Snapshot_ListsAtMostAHundredTicketsPerQueue_OldestFirstWhateverTheCallOrder()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        var issued = new List<TicketView>();
        for (var i = 0; i < 104; i++)
        {
            issued.Add(await client.IssueAsync("TAX-INV", priority: i == 102));
        }

        var queue = (await client.SnapshotAsync()).Queues.Single(q => q.Matter == "TAX-INV");

        // The priority ticket would be called first, but it is among the newest: it is not listed.
        Assert.Equal(104, queue.Waiting);
        Assert.Equal(1, queue.PriorityWaiting);
        Assert.Equal(QueueSummary.TicketLimit, queue.Tickets.Count);
        Assert.Equal(issued.Take(100).Select(t => t.TicketId), queue.Tickets.Select(t => t.TicketId));
    }

    [Fact]
    public async Task JoiningMidDay_SnapshotAndEventsTogetherMissNothing()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        for (var i = 0; i < 4; i++)
        {
            await client.IssueAsync("TAX-INV");
        }

        await using var wall = await HubConnections.ConnectAsync(api);
        var snapshot = await wall.InvokeAsync<HallSnapshot>("JoinHall", TestHalls.HallId);
        await client.IssueAsync("TAX-INV");

        // The feed may still be pushing events the snapshot already holds when the wall joins (a busy machine): a
        // client drops those by their seq, as live.js does; the first one after the snapshot must be the next one.
        var next = (await wall.NextAsync("event")).Argument<HallEventMessage>();
        while (next.Seq <= snapshot.Seq)
        {
            next = (await wall.NextAsync("event")).Argument<HallEventMessage>();
        }

        Assert.Equal(4, snapshot.Seq);
        Assert.Equal(4, snapshot.Queues.Single(q => q.Matter == "TAX-INV").Waiting);
        Assert.Equal(5, next.Seq);
        Assert.Equal("B005", next.Data.GetProperty("number").GetString());
    }

    [Fact]
    public async Task Snapshot_CarriesTheLongestWaitingTicketsAndTheCountsBehindItsAverages()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        var first = await client.IssueAsync("BIZ-REG");
        var second = await client.IssueAsync("BIZ-REG");
        var priority = await client.IssueAsync("BIZ-REG", priority: true);
        await client.IssueAsync("TAX-INV");
        await client.OpenAsync("09", "王芳");
        await client.CallNextAsync("09");

        var snapshot = await client.SnapshotAsync();
        var queue = snapshot.Queues.Single(q => q.Matter == "BIZ-REG");

        // The priority ticket was called first; the others wait in issue order, with their issue times.
        Assert.Equal([first.TicketId, second.TicketId], queue.Tickets.Select(t => t.TicketId));
        Assert.Equal(first.IssuedAt, queue.Tickets[0].IssuedAt);
        Assert.Equal(3, queue.Issued);
        Assert.Equal(1, snapshot.Queues.Single(q => q.Matter == "TAX-INV").Issued);
        Assert.Equal(1, snapshot.Kpis.Called);
        Assert.Equal(priority.TicketId, snapshot.Windows.Single(w => w.WindowId == "09").Ticket!.TicketId);
    }

    [Fact]
    public async Task EventsUnderConcurrentLoad_ReachEveryClientInSequenceWithoutGaps()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        await using var wall = await HubConnections.ConnectAsync(api);
        await using var console = await HubConnections.ConnectAsync(api);
        await wall.InvokeAsync<HallSnapshot>("JoinHall", TestHalls.HallId);
        await console.InvokeAsync<HallSnapshot>("JoinWindow", TestHalls.HallId, "01");
        string[] windows = ["01", "02", "03", "04"];
        foreach (var window in windows)
        {
            await client.OpenAsync(window, $"clerk{window}");
        }

        var kiosks = Enumerable.Range(0, 4).Select(k => Task.Run(async () =>
        {
            var own = api.CreateClient();
            for (var i = 0; i < 25; i++)
            {
                await own.IssueAsync(k % 2 == 0 ? "BIZ-REG" : "RE-TRANS");
            }
        }));
        var clerks = windows.Select(window => Task.Run(async () =>
        {
            var own = api.CreateClient();
            for (var served = 0; served < 20;)
            {
                if (await own.CallNextAsync(window) is null)
                {
                    await Task.Yield();
                    continue;
                }

                await own.ActAsync(window, "start");
                await own.ActAsync(window, "complete");
                served++;
            }
        }));
        await Task.WhenAll(kiosks.Concat(clerks));
        var last = (await client.SnapshotAsync()).Seq;

        foreach (var hub in new[] { wall, console })
        {
            var seqs = new List<long>();
            while (seqs.Count == 0 || seqs[^1] < last)
            {
                seqs.Add((await hub.NextAsync("event")).Argument<HallEventMessage>().Seq);
            }

            Assert.Equal(Enumerable.Range(1, (int)last).Select(s => (long)s), seqs);
        }
    }

    [Fact]
    public async Task WaitAlert_ReachesTheHallAndTheClerksOfWindowsServingTheMatter_AtItsMoment()
    {
        var clock = new ManualTimeProvider(Morning);
        await using var api = new ApiFactory(clock);
        var client = api.CreateClient();
        await using var wall = await HubConnections.ConnectAsync(api);
        await using var comprehensive = await HubConnections.ConnectAsync(api);
        await using var dedicated = await HubConnections.ConnectAsync(api);
        await using var elsewhere = await HubConnections.ConnectAsync(api);
        await wall.InvokeAsync<HallSnapshot>("JoinHall", TestHalls.HallId);
        await comprehensive.InvokeAsync<HallSnapshot>("JoinWindow", TestHalls.HallId, "01");
        await dedicated.InvokeAsync<HallSnapshot>("JoinWindow", TestHalls.HallId, "09");
        await elsewhere.InvokeAsync<HallSnapshot>("JoinWindow", TestHalls.HallId, "11");
        var ticket = await client.IssueAsync("BIZ-REG");

        clock.Advance(TimeSpan.FromSeconds(1800 * 0.8));
        var onWall = (await wall.NextAsync("alert")).Argument<AlertView>();
        var onComprehensive = (await comprehensive.NextAsync("alert")).Argument<AlertView>();
        var onDedicated = (await dedicated.NextAsync("alert")).Argument<AlertView>();

        // Every member of the hall gets the events of a later command after all that was pushed before it:
        // window 11 has the event that carried the alert, and up to this marker no alert.
        var marker = await client.IssueAsync("TAX-INV");
        var elsewhereSaw = await elsewhere.UntilAsync(m => IsIssueOf(m, marker));

        Assert.Equal(["ticketIssued", "alertRaised", "ticketIssued"], Events(elsewhereSaw).Select(e => e.Type));
        Assert.DoesNotContain(elsewhereSaw, m => m.Target == "alert");
        Assert.Equal($"wait-{ticket.TicketId}", onWall.AlertId);
        Assert.Equal(AlertLevel.Warning, onWall.Level);
        Assert.Equal(Morning.AddSeconds(1440), onWall.RaisedAt);
        Assert.Equal(onWall, onComprehensive);
        Assert.Equal(onWall, onDedicated);
    }

    [Fact]
    public async Task HandleAlert_ReachesOnlyItsOwnWindowsClerk()
    {
        var clock = new ManualTimeProvider(Morning);
        await using var api = new ApiFactory(clock);
        var client = api.CreateClient();
        await client.IssueAsync("BIZ-REG");
        await client.OpenAsync("09", "王芳");
        await client.CallNextAsync("09");
        await client.ActAsync("09", "start");
        await using var serving = await HubConnections.ConnectAsync(api);
        await using var neighbour = await HubConnections.ConnectAsync(api);
        await serving.InvokeAsync<HallSnapshot>("JoinWindow", TestHalls.HallId, "09");
        var joined = await neighbour.InvokeAsync<HallSnapshot>("JoinWindow", TestHalls.HallId, "10");

        clock.Advance(TimeSpan.FromSeconds(1200 * 0.8));
        var alert = (await serving.NextAsync("alert")).Argument<AlertView>();
        var marker = await client.IssueAsync("BIZ-REG");
        var neighbourSaw = await neighbour.UntilAsync(m => IsIssueOf(m, marker));

        // Window 10 serves the same matter; it has the event that carried the alert, and up to the marker no alert.
        Assert.Equal(AlertKind.HandleOvertime, alert.Kind);
        Assert.Equal("09", alert.Window);
        Assert.Equal(["alertRaised", "ticketIssued"], Events(neighbourSaw).Where(e => e.Seq > joined.Seq).Select(e => e.Type));
        Assert.DoesNotContain(neighbourSaw, m => m.Target == "alert");
    }

    [Fact]
    public async Task CaseCard_ReachesTheHallAndTheWindowThatAcceptedTheCase_AndTheLookupCodeIsNeverPushed()
    {
        var clock = new ManualTimeProvider(Morning);
        await using var api = new ApiFactory(clock);
        var client = api.CreateClient();
        await using var wall = await HubConnections.ConnectAsync(api);
        await using var accepting = await HubConnections.ConnectAsync(api);
        await using var neighbour = await HubConnections.ConnectAsync(api);
        await wall.InvokeAsync<HallSnapshot>("JoinHall", TestHalls.HallId);
        await accepting.InvokeAsync<HallSnapshot>("JoinWindow", TestHalls.HallId, "06");
        var joined = await neighbour.InvokeAsync<HallSnapshot>("JoinWindow", TestHalls.HallId, "07");
        await client.IssueAsync("RE-TRANS");
        await client.OpenAsync("06", "李娜");
        await client.CallNextAsync("06");
        await client.ActAsync("06", "start");
        var completed = await client.ActAsync("06", "complete");
        var opened = Events(await wall.UntilAsync(m => m.Target == "event" && m.Argument<HallEventMessage>().Type == "caseOpened")).Last();

        // Thursday 26 November, the last working day before the promised deadline.
        clock.AdvanceTo(new DateTimeOffset(2026, 11, 25, 16, 1, 0, TimeSpan.Zero));
        var onWall = (await wall.NextAsync("alert")).Argument<AlertView>();
        var onAccepting = (await accepting.NextAsync("alert")).Argument<AlertView>();
        var marker = await client.IssueAsync("TAX-INV");
        var neighbourSaw = await neighbour.UntilAsync(m => IsIssueOf(m, marker));

        Assert.Equal("******", opened.Data.GetProperty("lookupCode").GetString());
        Assert.Equal(completed.CaseId, opened.Data.GetProperty("caseId").GetString());
        Assert.Equal((AlertKind.CaseDeadline, AlertLevel.Warning, "06"), (onWall.Kind, onWall.Level, onWall.Window));
        Assert.Equal(onWall, onAccepting);
        Assert.Contains(Events(neighbourSaw), e => e.Seq > joined.Seq && e.Type == "alertRaised");
        Assert.DoesNotContain(neighbourSaw, m => m.Target == "alert");
        Assert.DoesNotContain(neighbourSaw.Concat([await wall.NextAsync("event")]), m => m.Arguments.Any(a => a.GetRawText().Contains(completed.LookupCode!, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AcknowledgingOverHttp_PushesTheAcknowledgedAlert()
    {
        var clock = new ManualTimeProvider(Morning);
        await using var api = new ApiFactory(clock);
        var client = api.CreateClient();
        await using var wall = await HubConnections.ConnectAsync(api);
        await wall.InvokeAsync<HallSnapshot>("JoinHall", TestHalls.HallId);
        await client.IssueAsync("TAX-INV");
        clock.Advance(TimeSpan.FromSeconds(1200 * 0.8));
        var raised = (await wall.NextAsync("alert")).Argument<AlertView>();

        var response = await client.PostAsJsonAsync($"{Api.Hall}/alerts/{raised.AlertId}/ack", new { by = "值班长" }, Api.Json);
        var pushed = (await wall.NextAsync("alert")).Argument<AlertView>();
        var again = await client.PostAsJsonAsync($"{Api.Hall}/alerts/{raised.AlertId}/ack", new { by = "值班长" }, Api.Json);
        var unknown = await client.PostAsync($"{Api.Hall}/alerts/wait-nothing/ack", null);
        var open = await client.GetAsync<List<AlertView>>($"{Api.Hall}/alerts?state=open");
        var badState = await client.GetAsync($"{Api.Hall}/alerts?state=closed");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("值班长", pushed.AcknowledgedBy);
        Assert.Equal(Morning.AddSeconds(960), pushed.AcknowledgedAt);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(raised.AlertId, Assert.Single(open).AlertId);
        Assert.Equal(HttpStatusCode.BadRequest, badState.StatusCode);
    }

    [Fact]
    public async Task JoiningAnUnknownHallOrWindow_FailsWithAReason()
    {
        await using var api = new ApiFactory();
        await using var hub = await HubConnections.ConnectAsync(api);

        var hall = await Assert.ThrowsAsync<InvalidOperationException>(() => hub.InvokeAsync<HallSnapshot>("JoinHall", "nowhere"));
        var window = await Assert.ThrowsAsync<InvalidOperationException>(() => hub.InvokeAsync<HallSnapshot>("JoinWindow", TestHalls.HallId, "99"));

        Assert.Contains("no hall 'nowhere'", hall.Message, StringComparison.Ordinal);
        Assert.Contains("no window '99'", window.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JoiningWithAHugeId_FailsWithAShortReason()
    {
        await using var api = new ApiFactory();
        await using var hub = await HubConnections.ConnectAsync(api);
        var huge = new string('x', 10_000);

        var hall = await Assert.ThrowsAsync<InvalidOperationException>(() => hub.InvokeAsync<HallSnapshot>("JoinHall", huge));
        var window = await Assert.ThrowsAsync<InvalidOperationException>(() => hub.InvokeAsync<HallSnapshot>("JoinWindow", TestHalls.HallId, huge));

        Assert.InRange(hall.Message.Length, 1, 200);
        Assert.InRange(window.Message.Length, 1, 200);
    }

    private static bool IsIssueOf(HubMessage message, TicketView ticket) =>
        message.Target == "event"
        && message.Argument<HallEventMessage>() is { Type: "ticketIssued" } issued
        && issued.Data.GetProperty("number").GetString() == ticket.Number;

    private static IEnumerable<HallEventMessage> Events(IEnumerable<HubMessage> messages) =>
        messages.Where(m => m.Target == "event").Select(m => m.Argument<HallEventMessage>());
}
