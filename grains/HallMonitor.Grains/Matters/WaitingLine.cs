using System.Text.Json.Serialization;

namespace HallMonitor.Grains;

/// <summary>A ticket waiting to be called.</summary>
public sealed record WaitingTicket(
    string TicketId,
    string Number,
    string Matter,
    bool Priority,
    DateTimeOffset IssuedAt,
    long Seq,
    DateOnly ServiceDay,
    TicketChannel Channel);

/// <summary>
/// The tickets waiting for one matter: priority tickets first, each line in issue order. Removal by ticket
/// id is O(1), so cancelling or calling from anywhere in a long line stays cheap.
/// </summary>
public sealed class WaitingLine
{
    private readonly LinkedList<WaitingTicket> _priority = new();
    private readonly LinkedList<WaitingTicket> _normal = new();
    private readonly Dictionary<string, LinkedListNode<WaitingTicket>> _byId = new(StringComparer.Ordinal);

    /// <summary>The waiting tickets in issue order (how the line is checkpointed).</summary>
    public IReadOnlyList<WaitingTicket> Tickets
    {
        get => [.. _priority.Concat(_normal).OrderBy(t => t.Seq)];
        init
        {
            foreach (var ticket in value)
            {
                Add(ticket);
            }
        }
    }

    [JsonIgnore]
    public int Count => _byId.Count;

    [JsonIgnore]
    public int PriorityCount => _priority.Count;

    /// <summary>The ticket the next call of this matter takes.</summary>
    [JsonIgnore]
    public WaitingTicket? Head => (_priority.First ?? _normal.First)?.Value;

    /// <summary>The ticket that has waited longest.</summary>
    [JsonIgnore]
    public WaitingTicket? Oldest => (_priority.First?.Value, _normal.First?.Value) switch
    {
        (null, var normal) => normal,
        (var priority, null) => priority,
        var (priority, normal) => priority!.Seq < normal!.Seq ? priority : normal,
    };

    /// <summary>The <paramref name="count"/> tickets that have waited longest, oldest first; O(count).</summary>
    public IReadOnlyList<WaitingTicket> Longest(int count)
    {
        var longest = new List<WaitingTicket>(Math.Min(count, Count));
        var priority = _priority.First;
        var normal = _normal.First;
        while (longest.Count < count && (priority is not null || normal is not null))
        {
            if (normal is null || (priority is not null && priority.Value.Seq < normal.Value.Seq))
            {
                longest.Add(priority!.Value);
                priority = priority.Next;
            }
            else
            {
                longest.Add(normal.Value);
                normal = normal.Next;
            }
        }

        return longest;
    }

    /// <summary>The waiting tickets in the order this line gives them to windows: priority first, each in issue order.</summary>
    public IEnumerable<WaitingTicket> InCallOrder() => _priority.Concat(_normal);

    public bool Contains(string ticketId) => _byId.ContainsKey(ticketId);

    public WaitingTicket? Find(string ticketId) => _byId.TryGetValue(ticketId, out var node) ? node.Value : null;

    public void Add(WaitingTicket ticket)
    {
        if (_byId.ContainsKey(ticket.TicketId))
        {
            return;
        }

        var line = ticket.Priority ? _priority : _normal;
        _byId[ticket.TicketId] = line.AddLast(ticket);
    }

    public WaitingTicket? Remove(string ticketId)
    {
        if (!_byId.Remove(ticketId, out var node))
        {
            return null;
        }

        node.List!.Remove(node);
        return node.Value;
    }

    /// <summary>
    /// How many tickets would be called before this one. Counts from whichever end of its part of the line is
    /// nearer, walking both ways at once: a ticket just issued (the kiosk's answer) is at the end, so taking a number
    /// costs the same in a line of ten as in one of ten thousand.
    /// </summary>
    public int Ahead(string ticketId)
    {
        if (!_byId.TryGetValue(ticketId, out var node))
        {
            return 0;
        }

        var line = node.List!;
        var before = node.Value.Priority ? 0 : _priority.Count;
        var steps = 0;
        for (LinkedListNode<WaitingTicket>? back = node.Previous, forward = node.Next; ; back = back.Previous, forward = forward.Next, steps++)
        {
            if (back is null)
            {
                return before + steps;
            }

            if (forward is null)
            {
                return before + line.Count - 1 - steps;
            }
        }
    }

    /// <summary>Tickets issued on service days before <paramref name="day"/>.</summary>
    public IReadOnlyList<WaitingTicket> IssuedBefore(DateOnly day) =>
        [.. _priority.Concat(_normal).Where(t => t.ServiceDay < day).OrderBy(t => t.Seq)];

    public QueueHead? HeadKey() => Head is { } head ? Key(head) : null;

    /// <summary>
    /// The head a line with head <paramref name="current"/> has once <paramref name="joining"/> joins it: a new
    /// ticket goes to the end of its part of the line (priority tickets before the others), so it is the head
    /// only of an empty line, or as the first priority ticket of a line that had none.
    /// </summary>
    public static QueueHead HeadAfterJoining(QueueHead? current, QueueHead joining) =>
        current is null || (joining.Priority && !current.Priority) ? joining : current;

    /// <summary>The head the line will have once <paramref name="leaving"/> have left it.</summary>
    public QueueHead? HeadKeyWithout(IReadOnlyCollection<string> leaving)
    {
        foreach (var line in new[] { _priority, _normal })
        {
            foreach (var ticket in line)
            {
                if (!leaving.Contains(ticket.TicketId))
                {
                    return Key(ticket);
                }
            }
        }

        return null;
    }

    /// <summary>A ticket just issued, as its visitor sees it (without the people ahead and the estimate, which only its queue knows).</summary>
    public static TicketView View(JournalRecord issuedRecord, string matterName)
    {
        var issued = (TicketIssued)issuedRecord.Event;
        return new TicketView
        {
            TicketId = issued.TicketId,
            Number = issued.Number,
            Matter = issued.Matter,
            MatterName = matterName,
            Channel = issued.Channel,
            Priority = issued.Priority,
            State = TicketState.Waiting,
            IssuedAt = issuedRecord.At,
            TransferredFrom = issued.TransferredFrom,
        };
    }

    private static QueueHead Key(WaitingTicket ticket) => new(ticket.TicketId, ticket.Priority, ticket.IssuedAt, ticket.Seq);
}
