namespace HallMonitor.Grains;

/// <summary>
/// Finds the ticket a window should call next without looking at every matter: the head of each matter's
/// queue is kept in one ordered set per distinct set of served matters (all comprehensive windows share
/// one), ordered priority first, then by issue time. A call-next is O(log matters); a head change updates
/// the sets containing its matter.
/// </summary>
public sealed class DispatchIndex
{
    private readonly Dictionary<string, QueueHead> _heads = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<Entry>> _setsByWindow = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<SortedSet<Entry>>> _setsByMatter = new(StringComparer.Ordinal);

    public DispatchIndex(Hall hall)
    {
        var setsByKey = new Dictionary<string, SortedSet<Entry>>(StringComparer.Ordinal);
        foreach (var window in hall.Windows)
        {
            var served = hall.ServedMatters(window.Id);
            var codes = served is null ? hall.Matters.Select(m => m.Code) : served.Order(StringComparer.Ordinal);
            var key = served is null ? "*" : string.Join(',', codes);
            if (!setsByKey.TryGetValue(key, out var set))
            {
                setsByKey[key] = set = new SortedSet<Entry>(EntryOrder.Instance);
                foreach (var code in codes)
                {
                    if (!_setsByMatter.TryGetValue(code, out var sets))
                    {
                        _setsByMatter[code] = sets = [];
                    }

                    sets.Add(set);
                }
            }

            _setsByWindow[window.Id] = set;
        }
    }

    /// <summary>The head of a matter's queue as the index knows it.</summary>
    public QueueHead? HeadOf(string matter) => _heads.GetValueOrDefault(matter);

    /// <summary>Records the new head of a matter's queue; null when it is empty.</summary>
    public void Update(string matter, QueueHead? head)
    {
        if (!_setsByMatter.TryGetValue(matter, out var sets))
        {
            return;
        }

        if (_heads.Remove(matter, out var old))
        {
            foreach (var set in sets)
            {
                set.Remove(new Entry(old, matter));
            }
        }

        if (head is null)
        {
            return;
        }

        _heads[matter] = head;
        foreach (var set in sets)
        {
            set.Add(new Entry(head, matter));
        }
    }

    /// <summary>The ticket the window should take next, or null when nothing it serves is waiting.</summary>
    public DispatchCandidate? Best(string windowId) =>
        _setsByWindow.TryGetValue(windowId, out var set) && set.Count > 0
            ? new DispatchCandidate(set.Min!.Matter, set.Min.Head.TicketId)
            : null;

    private sealed record Entry(QueueHead Head, string Matter);

    private sealed class EntryOrder : IComparer<Entry>
    {
        public static readonly EntryOrder Instance = new();

        public int Compare(Entry? x, Entry? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            if (x is null || y is null)
            {
                return x is null ? -1 : 1;
            }

            var order = y.Head.Priority.CompareTo(x.Head.Priority);
            if (order == 0)
            {
                order = x.Head.IssuedAt.CompareTo(y.Head.IssuedAt);
            }

            if (order == 0)
            {
                order = x.Head.Seq.CompareTo(y.Head.Seq);
            }

            return order != 0 ? order : string.CompareOrdinal(x.Matter, y.Matter);
        }
    }
}
