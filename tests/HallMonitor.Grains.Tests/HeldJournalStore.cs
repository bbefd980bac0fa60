namespace HallMonitor.Grains.Tests;

/// <summary>
/// A journal store in front of <see cref="MemoryJournalStore"/> that can hold one append back and fail it the way
/// the SQLite group-commit writer does: the batch fails and the store's epoch rises on the writer's thread, a
/// moment before the grain that made the append hears of it. The memory store alone fails appends at once.
/// </summary>
internal sealed class HeldJournalStore(MemoryJournalStore store) : IJournalStore
{
    private readonly Lock _lock = new();
    private TaskCompletionSource? _holding;
    private HeldAppend? _held;
    private Exception? _failure;

    public long Epoch => store.Epoch;

    /// <summary>Holds the next append back; the task completes once that append has been made.</summary>
    public Task HoldNextAppendAsync()
    {
        lock (_lock)
        {
            _holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _holding.Task;
        }
    }

    /// <summary>Fails the held append in the store, which raises the epoch, without telling its grain yet.</summary>
    public void FailHeldAppend()
    {
        var held = _held ?? throw new InvalidOperationException("No append is held.");
        store.FailNextAppends(1);
        _failure = store.AppendAsync(held.Records, held.Epoch, held.Committed).Exception!.InnerException!;
    }

    /// <summary>Lets the held append through to the store, late: it commits now and its grain hears of it now.</summary>
    public void CommitHeldAppend()
    {
        var held = _held ?? throw new InvalidOperationException("No append is held.");
        var committed = store.AppendAsync(held.Records, held.Epoch, held.Committed);
        Assert.True(committed.IsCompletedSuccessfully, "The held append did not commit.");
        held.Done.SetResult();
    }

    /// <summary>Tells the grain that made the held append that it failed.</summary>
    public void ReportHeldFailure()
    {
        var held = _held ?? throw new InvalidOperationException("No append is held.");
        held.Done.SetException(_failure ?? throw new InvalidOperationException("The held append has not failed."));
    }

    public Task AppendAsync(IReadOnlyList<JournalRecord> records, long epoch, Action committed)
    {
        lock (_lock)
        {
            if (_holding is { } holding)
            {
                _holding = null;
                _held = new HeldAppend(records, epoch, committed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                holding.SetResult();
                return _held.Done.Task;
            }
        }

        return store.AppendAsync(records, epoch, committed);
    }

    public Task<JournalTail> ReadTailAsync(string hallId, CancellationToken cancellationToken = default) =>
        store.ReadTailAsync(hallId, cancellationToken);

    public Task<IReadOnlyList<JournalRecord>> ReadAsync(string hallId, JournalQuery query, CancellationToken cancellationToken = default) =>
        store.ReadAsync(hallId, query, cancellationToken);

    private sealed record HeldAppend(IReadOnlyList<JournalRecord> Records, long Epoch, Action Committed, TaskCompletionSource Done);
}
