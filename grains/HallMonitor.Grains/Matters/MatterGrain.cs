using HallMonitor.Runtime;
using Microsoft.Extensions.Logging;

namespace HallMonitor.Grains;

/// <summary>The waiting line of one matter, rebuilt from the journal.</summary>
public sealed class MatterQueue : JournaledState
{
    public WaitingLine Line { get; set; } = new();
}

/// <summary>
/// A matter's queue. It is the only place that adds or removes its waiting tickets, one turn at a time,
/// so a ticket can be taken by exactly one window. After each change it tells the hall its new head.
/// </summary>
public sealed class MatterGrain : JournaledGrain<MatterQueue>, IMatterGrain
{
    private readonly HallCatalog _catalog;
    private readonly HallJournals _journals;
    private readonly TimeProvider _time;
    private Hall _hall = null!;
    private MatterDefinition _matter = null!;
    private HallJournal _journal = null!;
    private IHallGrain _hallGrain = null!;
    private QueueHead? _reportedHead;

    public MatterGrain(
        HallCatalog catalog,
        HallJournals journals,
        TimeProvider time,
        ILogger<MatterGrain> logger,
        [PersistentState("matter")] IPersistentState<MatterQueue> queue)
        : base(queue, logger)
    {
        _catalog = catalog;
        _journals = journals;
        _time = time;
    }

    private WaitingLine Line => State.Line;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (hallId, code) = GrainKeys.Split(GetPrimaryKeyString());
        _hall = _catalog.GetHall(hallId);
        _matter = _hall.GetMatter(code);
        _journal = _journals.Get(hallId);
        _hallGrain = GrainFactory.GetHall(hallId);
        await RestoreAsync(_journal, after => new JournalQuery { AfterSeq = after, Matter = code, Limit = 5000 }, cancellationToken);
        _reportedHead = Line.HeadKey();
    }

    public async Task<TicketView> IssueAsync(TicketChannel channel, bool priority, string actor)
    {
        var leg = await _hallGrain.IssueTicketAsync(_matter.Code, channel, priority, actor, transfer: null);
        return await EnqueueAsync(leg);
    }

    public async Task<TransferOutcome> IssueTransferAsync(TransferSource source)
    {
        // A visitor sent on from a window has queued once already: the new leg is called ahead of first visits.
        var leg = await _hallGrain.IssueTicketAsync(_matter.Code, TicketChannel.Kiosk, priority: true, source.Clerk, source);
        var view = await EnqueueAsync(leg);
        return new TransferOutcome(leg.Transferred!, view with { TransferredFrom = source.TicketId });
    }

    public async Task<JournalRecord?> TryTakeAsync(string ticketId, string windowId, string clerk)
    {
        if (Line.Head is not { } head || head.TicketId != ticketId)
        {
            // The hall's index was behind: give it the true head so that the window's next try finds it.
            await ReportHeadAsync(force: true);
            return null;
        }

        var now = _time.GetUtcNow();
        var called = new TicketCalled(head.TicketId, head.Number, head.Matter, windowId, clerk,
            Math.Round(Math.Max(0, (now - head.IssuedAt).TotalSeconds), 1), head.Priority, head.IssuedAt, head.Channel);
        var records = await _journal.AppendAsync([called], _hall.LocalTime(now), clerk);
        ApplyRecord(records[0]);
        await ReportHeadAsync();
        return records[0];
    }

    public async Task<JournalRecord> CancelAsync(string ticketId, string actor)
    {
        var ticket = Line.Find(ticketId)
            ?? throw new ConflictException($"Ticket {ticketId} is not waiting, so it cannot be cancelled.");
        var now = _time.GetUtcNow();
        var records = await _journal.AppendAsync([new TicketCancelled(ticket.TicketId, ticket.Number, ticket.Matter)], _hall.LocalTime(now), actor);
        ApplyRecord(records[0]);
        await ReportHeadAsync();
        return records[0];
    }

    public async Task<int> ExpireBeforeAsync(DateOnly today)
    {
        var stale = Line.IssuedBefore(today);
        if (stale.Count == 0)
        {
            return 0;
        }

        var now = _time.GetUtcNow();
        var expired = stale.Select(t => (HallEvent)new TicketExpired(t.TicketId, t.Number, t.Matter, null, TicketState.Waiting, t.ServiceDay)).ToList();
        var records = await _journal.AppendAsync(expired, _hall.LocalTime(now), "system");
        foreach (var record in records)
        {
            ApplyRecord(record);
        }

        await ReportHeadAsync();
        return records.Count;
    }

    public Task<QueueView> GetQueueAsync()
    {
        var tickets = Line.Tickets;
        return Task.FromResult(new QueueView(_matter.Code, Line.Count, Line.PriorityCount, Line.Oldest?.IssuedAt, [.. tickets.Select(t => t.TicketId)]));
    }

    protected override void Apply(JournalRecord record)
    {
        switch (record.Event)
        {
            case TicketIssued issued:
                Line.Add(new WaitingTicket(issued.TicketId, issued.Number, issued.Matter, issued.Priority, record.At, record.Seq, issued.ServiceDay, issued.Channel));
                break;
            case TicketCalled or TicketCancelled or TicketExpired { Window: null }:
                Line.Remove(((ITicketEvent)record.Event).TicketId);
                break;
        }
    }

    private async Task<TicketView> EnqueueAsync(IssuedLeg leg)
    {
        ApplyRecord(leg.Issued);
        await ReportHeadAsync();
        var issued = (TicketIssued)leg.Issued.Event;
        var ahead = Line.Ahead(issued.TicketId);
        return new TicketView
        {
            TicketId = issued.TicketId,
            Number = issued.Number,
            Matter = issued.Matter,
            MatterName = _matter.Name,
            Channel = issued.Channel,
            Priority = issued.Priority,
            State = TicketState.Waiting,
            IssuedAt = leg.Issued.At,
            TransferredFrom = issued.TransferredFrom,
            Ahead = ahead,
            EstimatedWaitSeconds = WaitEstimate.Seconds(ahead, leg.ServingWindows, leg.AverageHandleSeconds),
        };
    }

    /// <summary>Tells the hall's dispatch index the head of this queue when it changed (or always, when forced).</summary>
    private async Task ReportHeadAsync(bool force = false)
    {
        var head = Line.HeadKey();
        if (!force && head == _reportedHead)
        {
            return;
        }

        await _hallGrain.ReportHeadAsync(_matter.Code, head);
        _reportedHead = head;
    }
}

/// <summary>How long a new ticket is likely to wait.</summary>
public static class WaitEstimate
{
    /// <summary>
    /// The people ahead are served by the open windows that handle the matter, each taking about the recent
    /// average handling time: ahead × average ÷ windows, in whole seconds.
    /// </summary>
    public static double Seconds(int ahead, int servingWindows, double averageHandleSeconds) =>
        Math.Round(ahead * averageHandleSeconds / Math.Max(1, servingWindows));
}
