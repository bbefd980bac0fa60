namespace HallMonitor.Silo;

/// <summary>
/// A write queued for a store's single writer (SQLite or PostgreSQL): its caller awaits <see cref="Completion"/>,
/// which the writer completes once the write's transaction committed, or fails with the reason it was refused or
/// the transaction's failure.
/// </summary>
internal abstract class QueuedWrite
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? _refused;

    public Task Completion => _completion.Task;

    /// <summary>Runs once committed, before the caller hears of it.</summary>
    protected virtual void OnCommitted()
    {
    }

    protected void Refuse(Exception reason) => _refused = reason;

    public void Complete()
    {
        if (_refused is not null)
        {
            _completion.TrySetException(_refused);
            return;
        }

        OnCommitted();
        _completion.TrySetResult();
    }

    public void Fail(Exception exception) => _completion.TrySetException(_refused ?? exception);
}
