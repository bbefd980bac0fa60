namespace HallMonitor.Runtime;

/// <summary>The <see cref="IPersistentState{TState}"/> the runtime injects into grain constructors.</summary>
internal sealed class PersistentState<TState>(string stateName, GrainId grainId, IGrainStorage storage)
    : IPersistentState<TState>, IGrainState<TState>, IPersistentStateLoader
    where TState : new()
{
    public TState State { get; set; } = new();

    public string? ETag { get; set; }

    public bool RecordExists { get; set; }

    string? IPersistentState<TState>.Etag => ETag;

    public Task ReadStateAsync() => storage.ReadStateAsync(stateName, grainId, this);

    public Task WriteStateAsync() => storage.WriteStateAsync(stateName, grainId, this);

    public Task ClearStateAsync() => storage.ClearStateAsync(stateName, grainId, this);

    Task IPersistentStateLoader.LoadAsync() => ReadStateAsync();
}

/// <summary>Lets the runtime load every injected state before activation without knowing its type.</summary>
internal interface IPersistentStateLoader
{
    Task LoadAsync();
}
