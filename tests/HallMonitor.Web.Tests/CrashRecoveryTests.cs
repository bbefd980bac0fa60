using System.Collections.Concurrent;
using System.Net.Http.Json;
using HallMonitor.Grains;

namespace HallMonitor.Web.Tests;

/// <summary>The product as a real process, killed with SIGKILL and restarted on the same data folder.</summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private const int Enough = 150;
    private static readonly TimeSpan LoadDeadline = TimeSpan.FromSeconds(30);
    private static readonly string[] ClerkWindows = ["01", "02", "03"];
    private readonly string _folder = Directory.CreateTempSubdirectory("hallmonitor-crash-").FullName;

    private string DataDir => Path.Combine(_folder, "data");

    [Fact]
    public async Task KilledProcess_RestartsWithExactlyTheSameState()
    {
        var halls = TestHalls.WriteFile(_folder);
        HallSnapshot before;
        List<TicketView> ticketsBefore;
        WindowView[] windowsBefore;
        await using (var web = await WebProcess.StartAsync(DataDir, halls))
        {
            var client = web.Client;
            var tickets = new List<TicketView>();
            for (var i = 0; i < 9; i++)
            {
                tickets.Add(await client.IssueAsync(i % 3 == 0 ? "TAX-INV" : "BIZ-REG", priority: i == 7));
            }

            await client.OpenAsync("01", "王芳");
            await client.OpenAsync("09", "李明");
            await client.OpenAsync("11", "张伟");
            await client.OpenAsync("02", "赵丽");
            await client.CallNextAsync("01");
            await client.ActAsync("01", "start");
            await client.CallNextAsync("09");
            await client.ActAsync("09", "recall");
            await client.CallNextAsync("11");
            await client.ActAsync("11", "start");
            await client.ActAsync("11", "complete");
            await client.PostAsync($"{Api.Hall}/windows/11/pause", null);
            await client.PostAsync($"{Api.Hall}/tickets/{tickets[8].TicketId}/cancel", null);

            before = await client.SnapshotAsync();
            ticketsBefore = [.. await Task.WhenAll(tickets.Select(t => client.GetAsync<TicketView>($"{Api.Hall}/tickets/{t.TicketId}")))];
            windowsBefore = await Task.WhenAll(before.Windows.Select(w => client.GetAsync<WindowView>($"{Api.Hall}/windows/{w.WindowId}")));
            await web.KillAsync();
        }

        await using (var web = await WebProcess.StartAsync(DataDir, halls))
        {
            var client = web.Client;

            // First the grains that own state (numbering, windows), before anything reads the whole journal.
            var nextNumber = await client.IssueAsync("BIZ-REG");
            var windowsAfter = await Task.WhenAll(windowsBefore.Select(w => client.GetAsync<WindowView>($"{Api.Hall}/windows/{w.WindowId}")));
            var ticketsAfter = await Task.WhenAll(ticketsBefore.Select(t => client.GetAsync<TicketView>($"{Api.Hall}/tickets/{t.TicketId}")));
            var after = await client.SnapshotAsync();
            var nextCall = await client.CallNextAsync("02");

            Assert.Equal("A007", nextNumber.Number);
            Assert.Equal(Describe(windowsBefore), Describe(windowsAfter));
            Assert.Equal(
                ticketsBefore.Select(t => (t.TicketId, t.State, t.Window, t.Recalls, t.History!.Count)),
                ticketsAfter.Select(t => (t.TicketId, t.State, t.Window, t.Recalls, t.History!.Count)));
            Assert.Equal(before.Seq + 1, after.Seq);
            Assert.Equal(Describe(before.Windows), Describe(after.Windows));
            Assert.Equal(before.Kpis.Completed, after.Kpis.Completed);
            Assert.Equal(before.Kpis.Issued + 1, after.Kpis.Issued);

            // Window 01 took the priority ticket (A005) before the kill; the oldest still waiting is A002.
            Assert.Equal(ticketsBefore[7].TicketId, windowsAfter.Single(w => w.WindowId == "01").Ticket!.TicketId);
            Assert.Equal(ticketsBefore[2].TicketId, nextCall!.TicketId);
            Assert.True((await client.GetAsync<JournalVerification>($"{Api.Hall}/journal/verify")).Ok);
        }
    }

    [Fact]
    public async Task KillDuringLoad_LosesNothingThatWasAcknowledged()
    {
        var halls = TestHalls.WriteFile(_folder);
        var acknowledged = new ConcurrentDictionary<string, TicketState>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Acknowledge(string ticketId, TicketState state)
        {
            acknowledged[ticketId] = state;
            if (acknowledged.Count >= Enough)
            {
                enough.TrySetResult();
            }
        }

        await using (var web = await WebProcess.StartAsync(DataDir, halls))
        {
            var client = web.Client;
            using var stop = new CancellationTokenSource();
            var kiosks = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var response = await client.PostAsJsonAsync($"{Api.Hall}/tickets", new { matter = "BIZ-REG" }, Api.Json);
                    response.EnsureSuccessStatusCode();
                    var ticket = await response.Content.ReadFromJsonAsync<TicketView>(Api.Json);
                    Acknowledge(ticket!.TicketId, TicketState.Waiting);
                }
            }));
            var clerks = ClerkWindows.Select(window => Task.Run(async () =>
            {
                await client.OpenAsync(window, $"clerk{window}");
                while (!stop.IsCancellationRequested)
                {
                    if (await client.CallNextAsync(window) is not { } ticket)
                    {
                        continue;
                    }

                    Acknowledge(ticket.TicketId, TicketState.Called);
                    await client.ActAsync(window, "start");
                    Acknowledge(ticket.TicketId, TicketState.Serving);
                    await client.ActAsync(window, "complete");
                    Acknowledge(ticket.TicketId, TicketState.Completed);
                }
            }));
            var workers = kiosks.Concat(clerks).ToList();
            var load = Task.WhenAll(workers);

            // Workers run until told to stop: one that ends before is a failure, and ends the wait with its error.
            var firstEnded = Task.WhenAny(workers);
            var ended = await Task.WhenAny(enough.Task, firstEnded, Task.Delay(LoadDeadline));
            Assert.True(
                ended == enough.Task,
                ended == firstEnded
                    ? $"A worker failed after {acknowledged.Count} of {Enough} tickets: {(await firstEnded).Exception?.GetBaseException().Message}"
                    : $"Only {acknowledged.Count} of {Enough} tickets acknowledged after {LoadDeadline.TotalSeconds} s.");

            await web.KillAsync();
            stop.Cancel();

            // Requests in flight at the kill fail; what matters is what was acknowledged before it.
            await load.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        var snapshot = acknowledged.ToArray();
        await using (var web = await WebProcess.StartAsync(DataDir, halls))
        {
            foreach (var (ticketId, state) in snapshot)
            {
                var ticket = await web.Client.GetAsync<TicketView>($"{Api.Hall}/tickets/{ticketId}");
                Assert.True(ticket.State >= state, $"{ticketId} was acknowledged {state} but came back {ticket.State}");
            }

            var verification = await web.Client.GetAsync<JournalVerification>($"{Api.Hall}/journal/verify");
            Assert.True(verification.Ok);
            Assert.True(verification.Events >= snapshot.Length);
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static IEnumerable<(string, WindowState, string?, string?, int)> Describe(IEnumerable<WindowView> windows) =>
        windows.Select(w => (w.WindowId, w.State, w.Clerk, w.Ticket?.TicketId, w.ServedToday));
}
