using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace HallMonitor.Storage.Tests;

/// <summary>One throw-away PostgreSQL server for the test classes of this collection; every test takes a database of its own.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<SharedPostgres>
{
    public const string Name = "postgres";
}

/// <summary>The collection's server.</summary>
public sealed class SharedPostgres : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;

    /// <summary>A new, empty database; its connection string.</summary>
    public Task<string> NewDatabaseAsync() => Server.CreateDatabaseAsync($"test_{Guid.NewGuid():N}");

    public static PostgresStore Open(string connectionString) => new(connectionString, NullLogger<PostgresStore>.Instance);

    /// <summary>Runs a statement on its own connection, beside the store (as an operator or another process would).</summary>
    public static async Task<object?> QueryAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public async Task InitializeAsync() => Server = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
