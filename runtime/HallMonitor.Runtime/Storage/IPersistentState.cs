namespace HallMonitor.Runtime;

/// <summary>
/// A grain's durable state, loaded before <see cref="Grain.OnActivateAsync"/>. Writes are guarded by the
/// ETag read last: a write over a record somebody else changed fails with <see cref="InconsistentStateException"/>.
/// </summary>
public interface IPersistentState<TState>
    where TState : new()
{
    TState State { get; set; }

    string? Etag { get; }

    bool RecordExists { get; }

    Task ReadStateAsync();

    Task WriteStateAsync();

    Task ClearStateAsync();
}

/// <summary>The state, ETag and existence flag a storage provider reads and writes.</summary>
public interface IGrainState<TState>
{
    TState State { get; set; }

    string? ETag { get; set; }

    bool RecordExists { get; set; }
}

/// <summary>A storage provider for grain state.</summary>
public interface IGrainStorage
{
    Task ReadStateAsync<TState>(string stateName, GrainId grainId, IGrainState<TState> grainState)
        where TState : new();

    Task WriteStateAsync<TState>(string stateName, GrainId grainId, IGrainState<TState> grainState)
        where TState : new();

    Task ClearStateAsync<TState>(string stateName, GrainId grainId, IGrainState<TState> grainState)
        where TState : new();
}

/// <summary>Names of grain storage providers.</summary>
public static class GrainStorage
{
    /// <summary>The provider used when <see cref="PersistentStateAttribute"/> names none.</summary>
    public const string DefaultName = "Default";
}

/// <summary>A write found the stored ETag different from the one it read: another writer got there first.</summary>
public sealed class InconsistentStateException(string message, string? storedEtag, string? currentEtag)
    : Exception(message)
{
    public string? StoredEtag { get; } = storedEtag;

    public string? CurrentEtag { get; } = currentEtag;
}
