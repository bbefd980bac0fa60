namespace HallMonitor.Storage.Tests;

/// <summary>The schema is created at start-up, once, however many silos start together.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemaTests(SharedPostgres postgres)
{
    [Fact]
    public async Task Schema_FourSilosStartingTogetherOnANewDatabase_ApplyEachStepOnce()
    {
        var database = await postgres.NewDatabaseAsync();

        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => SharedPostgres.Open(database))));
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }

        Assert.Equal("1", await SharedPostgres.QueryAsync(database, "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_version"));
        Assert.Equal(6L, await SharedPostgres.QueryAsync(database,
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('schema_version', 'journal', 'journal_tail', 'grain_state', 'ticket_facts', 'report_positions')"));
    }

    [Fact]
    public void Open_AnUnreachableDatabase_FailsNamingTheKey()
    {
        var unreachable = $"Host=127.0.0.1;Port={FreePort.Next()};Username=postgres;Database=nowhere";

        var refused = Assert.Throws<InvalidOperationException>(() => SharedPostgres.Open(unreachable));

        Assert.Contains("HallMonitor:Postgres", refused.Message, StringComparison.Ordinal);
        Assert.Contains("nowhere", refused.Message, StringComparison.Ordinal);
    }
}
