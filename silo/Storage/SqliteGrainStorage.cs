using System.Globalization;
using System.Text.Json;
using HallMonitor.Grains;
using Microsoft.Data.Sqlite;
using Orleans.Storage;

namespace HallMonitor.Silo;

/// <summary>Grain state (the grains' checkpoints) in the embedded SQLite database, with ETag concurrency.</summary>
public sealed class SqliteGrainStorage(SqliteStore store) : IGrainStorage
{
    private static readonly JsonSerializerOptions Json = HallMonitorJson.Options;
    private long _version = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;

    public Task ReadStateAsync<TState>(string stateName, GrainId grainId, IGrainState<TState> grainState)
    {
        using var connection = store.OpenRead();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT etag, data FROM grain_state WHERE state_name = $state AND grain_id = $grain";
        command.Parameters.AddWithValue("$state", stateName);
        command.Parameters.AddWithValue("$grain", grainId.ToString());
        using var reader = command.ExecuteReader();
        if (reader.Read())
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

        return Task.CompletedTask;
    }

    public async Task WriteStateAsync<TState>(string stateName, GrainId grainId, IGrainState<TState> grainState)
    {
        // Serialized now, in the grain's turn: later changes to the state do not leak into this write.
        var data = JsonSerializer.Serialize(grainState.State, Json);
        var etag = Interlocked.Increment(ref _version).ToString(CultureInfo.InvariantCulture);
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
    private sealed class StateWrite(string stateName, string grainId, string? expectedEtag, string? etag, string? data) : SqliteWrite
    {
        public override void Execute(WriterCommands commands, SqliteTransaction transaction, long epoch)
        {
            var stored = commands.Get(
                "SELECT etag FROM grain_state WHERE state_name = $state AND grain_id = $grain",
                transaction,
                ("$state", stateName),
                ("$grain", grainId)).ExecuteScalar() as string;
            if (stored != expectedEtag)
            {
                Refuse(new InconsistentStateException(
                    $"State '{stateName}' of {grainId} was changed by another writer (stored ETag {stored ?? "none"}, ours {expectedEtag ?? "none"}).",
                    stored,
                    expectedEtag));
                return;
            }

            if (data is null)
            {
                commands.Get("DELETE FROM grain_state WHERE state_name = $state AND grain_id = $grain", transaction, ("$state", stateName), ("$grain", grainId))
                    .ExecuteNonQuery();
                return;
            }

            commands.Get(
                """
                INSERT INTO grain_state (state_name, grain_id, etag, data, updated_at) VALUES ($state, $grain, $etag, $data, $now)
                ON CONFLICT (state_name, grain_id) DO UPDATE SET etag = excluded.etag, data = excluded.data, updated_at = excluded.updated_at
                """,
                transaction,
                ("$state", stateName),
                ("$grain", grainId),
                ("$etag", etag),
                ("$data", data),
                ("$now", SqliteStore.Now())).ExecuteNonQuery();
        }
    }
}
