using Npgsql;

namespace HallMonitor.Silo;

/// <summary>
/// The PostgreSQL schema as numbered steps. <see cref="Upgrade"/> applies the steps a database has not had yet,
/// recorded in <c>schema_version</c>, in one transaction: a new database gets them all, an up-to-date one none.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>Serializes upgrades of silos starting together (an arbitrary, fixed advisory lock key).</summary>
    private const long UpgradeLock = 0x48616C6C4D6F6E;

    /// <summary>Step n brings the schema to version n. Never edit a released step; add the next one.</summary>
    private static readonly string[] Steps =
    [
        """
        CREATE TABLE journal (
            hall text NOT NULL,
            seq bigint NOT NULL,
            at text NOT NULL,
            at_utc timestamptz NOT NULL,
            type text NOT NULL,
            actor text NOT NULL,
            ticket_id text,
            window_id text,
            matter_code text,
            data text NOT NULL,
            hash text NOT NULL,
            prev_hash text NOT NULL,
            PRIMARY KEY (hall, seq)
        );
        CREATE INDEX journal_by_ticket ON journal (hall, ticket_id, seq) WHERE ticket_id IS NOT NULL;
        CREATE INDEX journal_by_window ON journal (hall, window_id, seq) WHERE window_id IS NOT NULL;
        CREATE INDEX journal_by_matter ON journal (hall, matter_code, seq) WHERE matter_code IS NOT NULL;
        CREATE TABLE journal_tail (
            hall text PRIMARY KEY,
            seq bigint NOT NULL,
            hash text NOT NULL
        );
        CREATE TABLE ticket_facts (
            hall text NOT NULL,
            ticket_id text NOT NULL,
            service_day date NOT NULL,
            data text NOT NULL,
            PRIMARY KEY (hall, ticket_id)
        );
        CREATE INDEX ticket_facts_by_day ON ticket_facts (hall, service_day);
        CREATE TABLE report_positions (
            hall text PRIMARY KEY,
            position bigint NOT NULL
        );
        CREATE TABLE grain_state (
            state_name text NOT NULL,
            grain_id text NOT NULL,
            etag text NOT NULL,
            data text NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (state_name, grain_id)
        );
        """,
    ];

    /// <summary>The version this build writes.</summary>
    public static int Latest => Steps.Length;

    public static void Upgrade(NpgsqlDataSource dataSource)
    {
        using var connection = dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        Execute(connection, "SELECT pg_advisory_xact_lock(@key)", ("key", UpgradeLock));
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
        using (var current = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_version", connection))
        {
            for (var version = (int)current.ExecuteScalar()! + 1; version <= Steps.Length; version++)
            {
                Execute(connection, Steps[version - 1]);
                Execute(connection, "INSERT INTO schema_version (version) VALUES (@version)", ("version", version));
            }
        }

        transaction.Commit();
    }

    private static void Execute(NpgsqlConnection connection, string sql, params ReadOnlySpan<(string Name, object Value)> parameters)
    {
        using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }
}
