using System.Text.Json;
using HallMonitor.Grains;
using Npgsql;
using Orleans.Storage;

namespace HallMonitor.Silo;

/// <summary>
/// Grain state (the grains' checkpoints) in PostgreSQL. The ETag is checked by the statement that writes, so
/// a stale writer on another silo is refused by the database with <see cref="InconsistentStateException"/>.
/// </summary>
public sealed class PostgresGrainStorage(PostgresStore store) : IGrainStorage
{
    private static readonly JsonSerializerOptions Json = HallMonitorJson.Options;

    public async Task ReadStateAsync<TState>(string stateName, GrainId grainId, IGrainState<TState> grainState)
    {
        await using var command = store.DataSource.CreateCommand("SELECT etag, data FROM grain_state WHERE state_name = @state AND grain_id = @grain");
        command.Parameters.AddWithValue("state", stateName);
        command.Parameters.AddWithValue("grain", grainId.ToString());
        await using var reader = await command.ExecuteReaderAsync();
        if (await reader.ReadAsync())
        {
            grainState.ETag = reader.GetString(0);
            grainState.State = JsonSerializer.Deserialize<TState>(reader.GetString(1), Json) ?? Activator.CreateInstance<TState>();
            grainState.RecordExists = true;
        }
        else
        {
            grainState.ETag = null;
            grainState.State = Activator.CreateInstance<TState>();
            grainState.RecordExists = false;
        }
    }

    public async Task WriteStateAsync<TState>(string stateName, GrainId grainId, IGrainState<TState> grainState)
    {
        // Serialized now, in the grain's turn: later changes to the state do not leak into this write.
        var data = JsonSerializer.Serialize(grainState.State, Json);

        // Unique across silos, unlike a counter of this process.
        var etag = Guid.CreateVersion7().ToString("N");
        await store.Enqueue(new StateWrite(stateName, grainId.ToString(), grainState.ETag, etag, data));
        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<TState>(string stateName, GrainId grainId, IGrainState<TState> grainState)
    {
        await store.Enqueue(new StateWrite(stateName, grainId.ToString(), grainState.ETag, null, null));
        grainState.ETag = null;
        grainState.State = Activator.CreateInstance<TState>();
        grainState.RecordExists = false;
    }

    /// <summary>Writes (or, without data, deletes) a state if its stored ETag is the one the grain read.</summary>
    private sealed class StateWrite(string stateName, string grainId, string? expectedEtag, string? etag, string? data) : PostgresWrite
    {
        private NpgsqlBatchCommand? _command;

        public override string LockOrder => $"state {stateName} {grainId}";

        public override void AddCommands(NpgsqlBatch batch)
        {
            var sql = (data, expectedEtag) switch
            {
                (null, _) => "DELETE FROM grain_state WHERE state_name = @state AND grain_id = @grain AND etag = @expected",
                (_, null) => """
                    INSERT INTO grain_state (state_name, grain_id, etag, data, updated_at) VALUES (@state, @grain, @etag, @data, now())
                    ON CONFLICT (state_name, grain_id) DO NOTHING
                    """,
                _ => """
                    UPDATE grain_state SET etag = @etag, data = @data, updated_at = now()
                    WHERE state_name = @state AND grain_id = @grain AND etag = @expected
                    """,
            };
            _command = new NpgsqlBatchCommand(sql)
            {
                Parameters =
                {
                    new("state", stateName),
                    new("grain", grainId),
                    new("expected", (object?)expectedEtag ?? DBNull.Value) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                    new("etag", (object?)etag ?? DBNull.Value) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                    new("data", (object?)data ?? DBNull.Value) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                },
            };
            batch.BatchCommands.Add(_command);
        }

        public override async ValueTask JudgeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
        {
            if (_command!.RecordsAffected == 1)
            {
                return;
            }

            await using var read = new NpgsqlCommand("SELECT etag FROM grain_state WHERE state_name = @state AND grain_id = @grain", connection, transaction);
            read.Parameters.AddWithValue("state", stateName);
            read.Parameters.AddWithValue("grain", grainId);
            var stored = await read.ExecuteScalarAsync() as string;

            // Clearing a state never written (nor written since) is no conflict: there was nothing to delete.
            if (data is null && stored is null && expectedEtag is null)
            {
                return;
            }

            Refuse(new InconsistentStateException(
                $"State '{stateName}' of {grainId} was changed by another writer (stored ETag {stored ?? "none"}, ours {expectedEtag ?? "none"}).",
                stored,
                expectedEtag));
        }
    }
}
