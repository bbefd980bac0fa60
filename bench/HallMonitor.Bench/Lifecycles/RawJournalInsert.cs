using System.Diagnostics;
using HallMonitor.Silo;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace HallMonitor.Bench.Lifecycles;

/// <summary>
/// The ceiling for the journal: rows inserted by plain batched SQLite into a table made by the product's own
/// <see cref="SqliteStore"/>, with its PRAGMAs, and nothing else in the way (no grains, hashing or JSON).
/// </summary>
public static class RawJournalInsert
{
    private const string Columns = "hall, seq, at, at_ms, type, actor, ticket_id, window_id, matter_code, data, hash, prev_hash";

    /// <summary>Every journal row of a database, as stored.</summary>
    public static List<object[]> ReadRows(string databasePath)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM journal ORDER BY hall, seq";
        using var reader = command.ExecuteReader();
        var rows = new List<object[]>();
        while (reader.Read())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Inserts the first <paramref name="count"/> rows into a new database, <paramref name="batch"/> rows per transaction.</summary>
    public static TimeSpan Run(List<object[]> rows, int count, int batch, string folder, string synchronous)
    {
        var path = Path.Combine(folder, $"raw-{Guid.NewGuid():N}.db");
        CreateLikeTheProduct(path, synchronous);

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        connection.Open();
        using (var pragmas = connection.CreateCommand())
        {
            // The same settings SqliteStore gives its writer connection; WAL is a property of the file already.
            pragmas.CommandText = $"""
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = {(synchronous.Equals("normal", StringComparison.OrdinalIgnoreCase) ? "NORMAL" : "FULL")};
                PRAGMA busy_timeout = 5000;
                PRAGMA foreign_keys = OFF;
                """;
            pragmas.ExecuteNonQuery();
        }

        using var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO journal ({Columns}) VALUES ($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
        var parameters = Enumerable.Range(0, 12).Select(i => insert.Parameters.Add(new SqliteParameter($"${i}", null))).ToArray();

        var started = Stopwatch.GetTimestamp();
        for (var first = 0; first < count; first += batch)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            insert.Transaction = transaction;
            for (var i = first; i < Math.Min(count, first + batch); i++)
            {
                for (var column = 0; column < parameters.Length; column++)
                {
                    parameters[column].Value = rows[i][column];
                }

                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Lets the product's store create the file, so the table and its indexes are exactly the product's.</summary>
    private static void CreateLikeTheProduct(string path, string synchronous)
    {
        var store = new SqliteStore(path, synchronous, NullLogger<SqliteStore>.Instance);
        store.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
