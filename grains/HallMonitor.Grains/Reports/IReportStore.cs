namespace HallMonitor.Grains;

/// <summary>
/// Durable storage of ticket facts by hall and service day, with the journal position they reflect. Facts
/// and position are written together, so the facts never run ahead of or behind what they claim.
/// </summary>
public interface IReportStore
{
    /// <summary>The last journal event the stored facts reflect (0 when none).</summary>
    Task<long> ReadPositionAsync(string hallId);

    Task<TicketFact?> ReadFactAsync(string hallId, string ticketId);

    Task<IReadOnlyList<TicketFact>> ReadFactsAsync(string hallId, DateOnly from, DateOnly to);

    /// <summary>Stores changed facts and the new position in one atomic write.</summary>
    Task WriteAsync(string hallId, IReadOnlyCollection<TicketFact> facts, long position);
}

/// <summary>Ticket facts in process memory, for tests and throw-away runs; kept serialized like a real store.</summary>
public sealed class MemoryReportStore : IReportStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _positions = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Hall, string Ticket), (DateOnly Day, string Json)> _facts = [];

    public Task<long> ReadPositionAsync(string hallId)
    {
        lock (_lock)
        {
            return Task.FromResult(_positions.GetValueOrDefault(hallId));
        }
    }

    public Task<TicketFact?> ReadFactAsync(string hallId, string ticketId)
    {
        lock (_lock)
        {
            return Task.FromResult(_facts.TryGetValue((hallId, ticketId), out var fact) ? Read(fact.Json) : null);
        }
    }

    public Task<IReadOnlyList<TicketFact>> ReadFactsAsync(string hallId, DateOnly from, DateOnly to)
    {
        lock (_lock)
        {
            IReadOnlyList<TicketFact> facts = [.. _facts
                .Where(p => p.Key.Hall == hallId && p.Value.Day >= from && p.Value.Day <= to)
                .Select(p => Read(p.Value.Json))];
            return Task.FromResult(facts);
        }
    }

    public Task WriteAsync(string hallId, IReadOnlyCollection<TicketFact> facts, long position)
    {
        lock (_lock)
        {
            foreach (var fact in facts)
            {
                _facts[(hallId, fact.TicketId)] = (fact.ServiceDay, System.Text.Json.JsonSerializer.Serialize(fact, HallMonitorJson.Options));
            }

            _positions[hallId] = position;
        }

        return Task.CompletedTask;
    }

    private static TicketFact Read(string json) => System.Text.Json.JsonSerializer.Deserialize<TicketFact>(json, HallMonitorJson.Options)!;
}
