using System.Text.Json;
using HallMonitor.Grains;
using Npgsql;

namespace HallMonitor.Silo;

/// <summary>Ticket facts in PostgreSQL, indexed by hall and service day; facts and position change in one transaction.</summary>
public sealed class PostgresReportStore(PostgresStore store) : IReportStore
{
    public async Task<long> ReadPositionAsync(string hallId)
    {
        await using var command = store.DataSource.CreateCommand("SELECT position FROM report_positions WHERE hall = @hall");
        command.Parameters.AddWithValue("hall", hallId);
        return await command.ExecuteScalarAsync() is long position ? position : 0L;
    }

    public async Task<TicketFact?> ReadFactAsync(string hallId, string ticketId)
    {
        await using var command = store.DataSource.CreateCommand("SELECT data FROM ticket_facts WHERE hall = @hall AND ticket_id = @ticket");
        command.Parameters.AddWithValue("hall", hallId);
        command.Parameters.AddWithValue("ticket", ticketId);
        return await command.ExecuteScalarAsync() is string json ? Read(json) : null;
    }

    public async Task<IReadOnlyList<TicketFact>> ReadFactsAsync(string hallId, DateOnly from, DateOnly to)
    {
        await using var command = store.DataSource.CreateCommand("SELECT data FROM ticket_facts WHERE hall = @hall AND service_day BETWEEN @from AND @to");
        command.Parameters.AddWithValue("hall", hallId);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        var facts = new List<TicketFact>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            facts.Add(Read(reader.GetString(0)));
        }

        return facts;
    }

    public Task WriteAsync(string hallId, IReadOnlyCollection<TicketFact> facts, long position)
    {
        // One row per ticket: an upsert may not touch the same row twice, and the last fact of a ticket is its newest.
        // In ticket order, so that two silos writing one hall's facts lock its rows in the same order.
        var latest = facts.GroupBy(f => f.TicketId, StringComparer.Ordinal).Select(g => g.Last()).OrderBy(f => f.TicketId, StringComparer.Ordinal).ToArray();
        return store.Enqueue(new FactsWrite(
            hallId,
            [.. latest.Select(f => f.TicketId)],
            [.. latest.Select(f => f.ServiceDay)],
            [.. latest.Select(f => JsonSerializer.Serialize(f, HallMonitorJson.Options))],
            position));
    }

    private static TicketFact Read(string json) => JsonSerializer.Deserialize<TicketFact>(json, HallMonitorJson.Options)!;

    private sealed class FactsWrite(string hallId, string[] tickets, DateOnly[] days, string[] data, long position) : PostgresWrite
    {
        public override string LockOrder => "facts " + hallId;

        public override void AddCommands(NpgsqlBatch batch)
        {
            if (tickets.Length > 0)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                    INSERT INTO ticket_facts (hall, ticket_id, service_day, data)
                    SELECT @hall, f.* FROM unnest(@tickets, @days, @data) AS f
                    ON CONFLICT (hall, ticket_id) DO UPDATE SET service_day = excluded.service_day, data = excluded.data
                    """)
                {
                    Parameters = { new("hall", hallId), new("tickets", tickets), new("days", days), new("data", data) },
                });
            }

            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                "INSERT INTO report_positions (hall, position) VALUES (@hall, @position) ON CONFLICT (hall) DO UPDATE SET position = excluded.position")
            {
                Parameters = { new("hall", hallId), new("position", position) },
            });
        }
    }
}
