using System.Collections.Concurrent;
using System.Text.Json;
using HallMonitor.Grains;
using Orleans.Storage;

namespace HallMonitor.Silo;

/// <summary>
/// Grain storage in process memory, for tests and throw-away runs. State is kept serialized so that a
/// grain never shares objects with what is stored, exactly as with a real store
/// (and with the same JSON as <see cref="SqliteGrainStorage"/>).
/// </summary>
public sealed class JsonMemoryGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<(string State, GrainId Grain), Entry> _entries = new();
    private static readonly JsonSerializerOptions Json = HallMonitorJson.Options;
    private long _version;

    public Task ReadStateAsync<TState>(string stateName, GrainId grainId, IGrainState<TState> grainState)
    {
        if (_entries.TryGetValue((stateName, grainId), out var entry))
        {
            grainState.State = JsonSerializer.Deserialize<TState>(entry.Json, Json) ?? Activator.CreateInstance<TState>();
            grainState.ETag = entry.ETag;
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = Activator.CreateInstance<TState>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<TState>(string stateName, GrainId grainId, IGrainState<TState> grainState)
    {
        var json = JsonSerializer.Serialize(grainState.State, Json);
        var etag = Interlocked.Increment(ref _version).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var key = (stateName, grainId);
        while (true)
        {
            if (_entries.TryGetValue(key, out var current))
            {
                if (current.ETag != grainState.ETag)
                {
                    throw Conflict(stateName, grainId, current.ETag, grainState.ETag);
                }

                if (_entries.TryUpdate(key, new Entry(json, etag), current))
                {
                    break;
                }
            }
            else
            {
                if (grainState.ETag is not null)
                {
                    throw Conflict(stateName, grainId, null, grainState.ETag);
                }

                if (_entries.TryAdd(key, new Entry(json, etag)))
                {
                    break;
                }
            }
        }

        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<TState>(string stateName, GrainId grainId, IGrainState<TState> grainState)
    {
        var key = (stateName, grainId);
        if (_entries.TryGetValue(key, out var current))
        {
            if (current.ETag != grainState.ETag)
            {
                throw Conflict(stateName, grainId, current.ETag, grainState.ETag);
            }

            if (!_entries.TryRemove(new KeyValuePair<(string, GrainId), Entry>(key, current)))
            {
                throw Conflict(stateName, grainId, null, grainState.ETag);
            }
        }

        grainState.State = Activator.CreateInstance<TState>();
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private static InconsistentStateException Conflict(string stateName, GrainId grainId, string? stored, string? current) =>
        new($"State '{stateName}' of {grainId} was changed by another writer (stored ETag {stored ?? "none"}, ours {current ?? "none"}).", stored, current);

    private sealed record Entry(string Json, string ETag);
}
