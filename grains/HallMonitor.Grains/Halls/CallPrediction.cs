namespace HallMonitor.Grains;

/// <summary>
/// Predicts when each waiting ticket will be called by playing the hall forward from now: every open window
/// (idle, calling or serving; not paused, not closed) becomes free when its current service is likely to end, then
/// takes the best waiting ticket among the matters it serves in the hall's own dispatch order (priority first,
/// then the longest wait), and stays busy for the hall's recent average time from a call to the start of service (or
/// to the no-show) plus that matter's recent average handling time (its handle target before the first service).
/// Comprehensive windows shared across matters are thus shared in the prediction too.
/// </summary>
/// <remarks>
/// O(tickets × (log windows + matters a window serves)); it allocates one small cursor per matter, and the
/// per-ticket list only when asked for.
/// </remarks>
public static class CallPrediction
{
    /// <summary>The prediction for the hall as <paramref name="state"/> tells it at <paramref name="now"/>.</summary>
    public static HallPrediction Predict(Hall hall, HallProjection state, DateTimeOffset now, bool withTickets)
    {
        var matters = hall.Matters;
        var index = new Dictionary<string, int>(matters.Count, StringComparer.Ordinal);
        var lines = new Line[matters.Count];
        var call = TimeSpan.FromSeconds(state.AverageCallSeconds());
        for (var i = 0; i < matters.Count; i++)
        {
            var matter = matters[i];
            index[matter.Code] = i;
            lines[i] = new Line(matter, TimeSpan.FromSeconds(Math.Max(1, state.HandleSeconds(matter))), call, state.Waiting.GetValueOrDefault(matter.Code), withTickets);
        }

        // The open windows, by the moment each is likely to call next; a window keeps the matters it serves.
        var free = new PriorityQueue<int, (DateTimeOffset At, int Window)>();
        var served = new int[hall.Windows.Count][];
        var open = new List<string>();
        for (var w = 0; w < hall.Windows.Count; w++)
        {
            var window = hall.Windows[w];
            if (!state.Windows.TryGetValue(window.Id, out var slot) || slot.State is WindowState.Closed or WindowState.Paused)
            {
                continue;
            }

            open.Add(window.Id);
            served[w] = hall.ServedMatters(window.Id) is { } codes
                ? [.. codes.Where(index.ContainsKey).Select(c => index[c])]
                : [.. Enumerable.Range(0, matters.Count)];
            foreach (var m in served[w])
            {
                lines[m].ServingWindows++;
            }

            var at = slot switch
            {
                { State: WindowState.Serving, Ticket: { StartedAt: { } started } ticket } => Later(now, started + HandleOf(ticket.Matter)),
                { State: WindowState.Calling, Ticket: { } ticket } => Later(now, ticket.CalledAt + call) + HandleOf(ticket.Matter),
                { State: WindowState.Serving, Ticket: { } ticket } => now + HandleOf(ticket.Matter),
                _ => now,
            };
            free.Enqueue(w, (at, w));
        }

        var left = lines.Sum(l => l.Count);
        while (left > 0 && free.TryDequeue(out var w, out var when))
        {
            var best = -1;
            foreach (var m in served[w])
            {
                if (lines[m].Head is { } head && (best < 0 || Before(head, lines[best].Head!)))
                {
                    best = m;
                }
            }

            if (best < 0)
            {
                // Nothing this window serves is left: it calls no one else.
                continue;
            }

            lines[best].Call(when.At);
            left--;
            free.Enqueue(w, (when.At + lines[best].Cycle, w));
        }

        return new HallPrediction
        {
            At = now,
            Matters = [.. lines.Select(line => line.Result())],
            OpenWindows = open,
        };

        TimeSpan HandleOf(string matter) => index.TryGetValue(matter, out var m) ? lines[m].Handle : TimeSpan.Zero;
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>The hall's dispatch order: priority first, then the earlier issue, then the journal order.</summary>
    private static bool Before(WaitingTicket x, WaitingTicket y) =>
        x.Priority != y.Priority ? x.Priority : x.IssuedAt != y.IssuedAt ? x.IssuedAt < y.IssuedAt : x.Seq < y.Seq;

    /// <summary>One matter's waiting line as the prediction walks it, in call order.</summary>
    private sealed class Line
    {
        private readonly MatterDefinition _matter;
        private readonly TimeSpan _target;
        private readonly IEnumerator<WaitingTicket>? _cursor;
        private readonly List<TicketPrediction>? _tickets;
        private DateTimeOffset? _lastCall;
        private int _called;
        private int _pastTarget;

        public Line(MatterDefinition matter, TimeSpan handle, TimeSpan call, WaitingLine? line, bool withTickets)
        {
            _matter = matter;
            _target = TimeSpan.FromSeconds(matter.WaitTargetSeconds);
            Handle = handle;
            Cycle = call + handle;
            Count = line?.Count ?? 0;
            if (Count > 0)
            {
                _cursor = line!.InCallOrder().GetEnumerator();
                Head = _cursor.MoveNext() ? _cursor.Current : null;
                _tickets = withTickets ? new List<TicketPrediction>(Count) : null;
            }
        }

        public TimeSpan Handle { get; }

        /// <summary>How long a window is busy with one ticket of this matter: the call, then the handling.</summary>
        public TimeSpan Cycle { get; }

        public int Count { get; }

        public int ServingWindows { get; set; }

        /// <summary>The next ticket this line gives to a window; null when all are predicted.</summary>
        public WaitingTicket? Head { get; private set; }

        public void Call(DateTimeOffset at)
        {
            var ticket = Head!;
            _tickets?.Add(new TicketPrediction(ticket.TicketId, ticket.Number, ticket.Priority, ticket.IssuedAt, at));
            if (at - ticket.IssuedAt >= _target)
            {
                _pastTarget++;
            }

            _lastCall = at;
            _called++;
            Head = _cursor!.MoveNext() ? _cursor.Current : null;
        }

        public MatterPrediction Result()
        {
            // Tickets no open window will reach: never called while the hall stays as it is.
            for (; Head is { } ticket; Head = _cursor!.MoveNext() ? _cursor.Current : null)
            {
                _tickets?.Add(new TicketPrediction(ticket.TicketId, ticket.Number, ticket.Priority, ticket.IssuedAt, null));
                _pastTarget++;
            }

            return new MatterPrediction
            {
                Matter = _matter.Code,
                Waiting = Count,
                ServingWindows = ServingWindows,
                HandleSeconds = Math.Round(Handle.TotalSeconds, 1),
                WaitTargetSeconds = _matter.WaitTargetSeconds,
                LastCallAt = _called == Count && Count > 0 ? _lastCall : null,
                PastTarget = _pastTarget,
                Tickets = _tickets,
            };
        }
    }
}
