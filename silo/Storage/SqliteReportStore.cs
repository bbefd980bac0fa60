using System.Globalization;
using System.Text.Json;
using HallMonitor.Grains;
using Microsoft.Data.Sqlite;

namespace HallMonitor.Silo;

/// <summary>Ticket facts in the embedded SQLite database, indexed by hall and service day.</summary>
public sealed class SqliteReportStore(SqliteStore store) : IReportStore
{
    public Task<long> ReadPositionAsync(string hallId)
    {
        using var connection = store.OpenRead();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT position FROM report_positions WHERE hall = $hall";
        command.Parameters.AddWithValue("$hall", hallId);
        return Task.FromResult(command.ExecuteScalar() is long position ? position : 0L);
    }

    public Task<TicketFact?> ReadFactAsync(string hallId, string ticketId)
    {
        using var connection = store.OpenRead();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT data FROM ticket_facts WHERE hall = $hall AND ticket_id = $ticket";
        command.Parameters.AddWithValue("$hall", hallId);
        command.Parameters.AddWithValue("$ticket", ticketId);
        return Task.FromResult(command.ExecuteScalar() is string json ? Read(json) : null);
    }

    public Task<IReadOnlyList<TicketFact>> ReadFactsAsync(string hallId, DateOnly from, DateOnly to)
    {
        using var connection = store.OpenRead();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT data FROM ticket_facts WHERE hall = $hall AND service_day BETWEEN $from AND $to";
        command.Parameters.AddWithValue("$hall", hallId);
        command.Parameters.AddWithValue("$from", Day(from));
        command.Parameters.AddWithValue("$to", Day(to));
        var facts = new List<TicketFact>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            facts.Add(Read(reader.GetString(0)));
        }

        return Task.FromResult<IReadOnlyList<TicketFact>>(facts);
    }

    public Task WriteAsync(string hallId, IReadOnlyCollection<TicketFact> facts, long position) =>
        store.Enqueue(new FactsWrite(hallId, [.. facts.Select(f => (f.TicketId, Day(f.ServiceDay), JsonSerializer.Serialize(f, HallMonitorJson.Options)))], position));

    private static TicketFact Read(string json) => JsonSerializer.Deserialize<TicketFact>(json, HallMonitorJson.Options)!;

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed class FactsWrite(string hallId, (string TicketId, string Day, string Json)[] facts, long position) : SqliteWrite
    {
        public override void Execute(WriterCommands commands, SqliteTransaction transaction, long epoch)
        {
            foreach (var (ticketId, day, json) in facts)
            {
                commands.Get(
                    """
                    INSERT INTO ticket_facts (hall, ticket_id, service_day, data) VALUES ($hall, $ticket, $day, $data)
                    ON CONFLICT (hall, ticket_id) DO UPDATE SET service_day = excluded.service_day, data = excluded.data
                    """,
                    transaction,
                    ("$hall", hallId),
                    ("$ticket", ticketId),
                    ("$day", day),
                    ("$data", json)).ExecuteNonQuery();
            }

            commands.Get(
                "INSERT INTO report_positions (hall, position) VALUES ($hall, $position) ON CONFLICT (hall) DO UPDATE SET position = excluded.position",
                transaction,
                ("$hall", hallId),
                ("$position", position)).ExecuteNonQuery();
        }
    }
}
