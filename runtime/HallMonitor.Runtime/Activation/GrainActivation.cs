using Microsoft.Extensions.Logging;

namespace HallMonitor.Runtime;

/// <summary>
/// One live instance of a grain and its mailbox.
/// </summary>
/// <remarks>
/// <para>Everything the grain's code does runs as a work item of this activation, one at a time: new
/// requests, continuations after <c>await</c> (through <see cref="ActivationSynchronizationContext"/>),
/// timer ticks, activation and deactivation. That is what makes a grain single-threaded.</para>
/// <para>A request is in flight from its start until its task completes. A non-reentrant grain starts a new
/// request only when nothing else is in flight, so a request holds the activation across its awaits.
/// <see cref="ReentrantAttribute"/>, <see cref="AlwaysInterleaveAttribute"/> and
/// <see cref="ReadOnlyAttribute"/> relax that rule; continuations of in-flight requests always run.</para>
/// <para>Requests start in arrival order (FIFO), except that an always-interleaving request may pass
/// requests that have to wait.</para>
/// <para>Fast path: a call that finds no turn running, nothing queued and nothing in flight that it must wait
/// for (a reentrant grain's requests parked at an await are no obstacle) runs inline on the caller's thread; no
/// queue, no thread hop. Only if it does not complete synchronously does the rest of it go through the mailbox.</para>
/// </remarks>
internal sealed partial class GrainActivation : IThreadPoolWorkItem
{
    /// <summary>Set while the runtime constructs a grain so that the <see cref="Grain"/> base finds its activation.</summary>
    [ThreadStatic]
    internal static GrainActivation? Constructing;

    private const int PumpBudget = 64;

    private readonly Lock _lock = new();
    private readonly LinkedList<Request> _requests = new();
    private readonly Queue<Continuation> _continuations = new();
    private readonly List<GrainTimer> _timers = [];
    private readonly TaskCompletionSource _deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private volatile ActivationStatus _status = ActivationStatus.Activating;
    private bool _pumpOwned;
    private int _inFlight;
    private int _inFlightBlocking;
    private int _inFlightWriters;
    private int _queuedInterleaving;
    private bool _deactivationRequested;
    private DeactivationReason _deactivationReason;
    private long _lastActiveEpoch;
    private int _keepAliveTimers;
    private Grain? _grain;

    public GrainActivation(GrainRuntime runtime, GrainClass grainClass, GrainId grainId)
    {
        Runtime = runtime;
        GrainClass = grainClass;
        GrainId = grainId;
        Context = new ActivationSynchronizationContext(this);
        _lastActiveEpoch = runtime.Epoch;
        // The activation request waits at the head of the mailbox; the first call's enqueue starts the pump,
        // so that call is queued behind it and sees the activation's outcome.
        _requests.AddLast(new ActivateRequest());
    }

    public GrainRuntime Runtime { get; }

    public GrainClass GrainClass { get; }

    public GrainId GrainId { get; }

    public ActivationSynchronizationContext Context { get; }

    public bool IsInvalid => _status == ActivationStatus.Invalid;

    public Task Deactivated => _deactivated.Task;

    /// <summary>Calls a method. Returns null when the activation is gone and the caller must look up another.</summary>
    public Task<TResult>? TryInvoke<TResult>(GrainReference target, GrainInvokable<TResult> call)
    {
        if (!TryEnterInline(call.Options, out var gone))
        {
            if (gone)
            {
                return null;
            }

            var request = new CallRequest<TResult>(target, call);
            return TryEnqueue(request) ? Runtime.WithTimeout(request.Task, request, call, GrainId) : null;
        }

        Task<TResult> task;
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(Context);
        try
        {
            task = call.InvokeAsync(_grain!) ?? throw NullTask(call);
        }
        catch (Exception exception)
        {
            task = Task.FromException<TResult>(exception);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        return LeaveInline(task, call.Options) ? task : Runtime.WithTimeout(task, null, call, GrainId);
    }

    /// <summary>Calls a method that returns no value; see <see cref="TryInvoke{TResult}"/>.</summary>
    public Task? TryInvoke(GrainReference target, VoidGrainInvokable call)
    {
        if (!TryEnterInline(call.Options, out var gone))
        {
            if (gone)
            {
                return null;
            }

            var request = new VoidCallRequest(target, call);
            return TryEnqueue(request) ? Runtime.WithTimeout(request.Task, request, call, GrainId) : null;
        }

        Task task;
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(Context);
        try
        {
            task = call.InvokeAsync(_grain!) ?? throw NullTask(call);
        }
        catch (Exception exception)
        {
            task = Task.FromException(exception);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        return LeaveInline(task, call.Options) ? task : Runtime.WithTimeout(task, null, call, GrainId);
    }

    /// <summary>
    /// Takes the activation for an inline call if no turn is running, nothing is queued and the request may
    /// start beside those in flight (a reentrant grain's requests parked at an await do not stop it).
    /// <paramref name="gone"/> tells that the activation is invalid.
    /// </summary>
    private bool TryEnterInline(InvokeOptions options, out bool gone)
    {
        lock (_lock)
        {
            gone = _status == ActivationStatus.Invalid;
            if (gone || _pumpOwned || _deactivationRequested || _requests.Count != 0 || _continuations.Count != 0 || !CanStart(options))
            {
                return false;
            }

            _pumpOwned = true;
            _lastActiveEpoch = Runtime.Epoch;
            BeginRequest(options);
            return true;
        }
    }

    /// <summary>
    /// Gives the activation back after the synchronous part of an inline call. True when the call is complete;
    /// otherwise the request stays in flight until its task completes.
    /// </summary>
    private bool LeaveInline(Task task, InvokeOptions options)
    {
        if (task.IsCompleted)
        {
            EndRequestAndReleasePump(options);
            return true;
        }

        ReleasePump();
        task.ContinueWith(
            static (_, state) =>
            {
                var (activation, options) = ((GrainActivation, InvokeOptions))state!;
                activation.EndRequest(options);
            },
            (this, options),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return false;
    }

    /// <summary>Queues a request. False when the activation is gone.</summary>
    internal bool TryEnqueue(Request request)
    {
        lock (_lock)
        {
            if (_status == ActivationStatus.Invalid)
            {
                return false;
            }

            _requests.AddLast(request);
            _queuedInterleaving += request.Options.HasFlag(InvokeOptions.AlwaysInterleave) ? 1 : 0;
            if (_pumpOwned)
            {
                return true;
            }

            _pumpOwned = true;
        }

        Schedule();
        return true;
    }

    /// <summary>Queues a continuation posted through the synchronization context.</summary>
    internal void Post(SendOrPostCallback callback, object? state)
    {
        lock (_lock)
        {
            _continuations.Enqueue(new Continuation(callback, state));
            if (_pumpOwned)
            {
                return;
            }

            _pumpOwned = true;
        }

        Schedule();
    }

    /// <summary>Asks for deactivation once no request is in flight.</summary>
    public void RequestDeactivation(DeactivationReason reason)
    {
        lock (_lock)
        {
            if (_deactivationRequested || _status is ActivationStatus.Deactivating or ActivationStatus.Invalid)
            {
                return;
            }

            _deactivationRequested = true;
            _deactivationReason = reason;
            if (_pumpOwned)
            {
                return;
            }

            _pumpOwned = true;
        }

        Schedule();
    }

    /// <summary>What the activation is busy with, for diagnostics.</summary>
    public string Describe()
    {
        lock (_lock)
        {
            var queued = string.Join(", ", _requests.Select(r => r.ToString()));
            return $"{GrainId} ({_status}): {_inFlight} in flight, {_continuations.Count} continuations, queued [{queued}]";
        }
    }

    /// <summary>True when the collector may deactivate this activation.</summary>
    public bool IsIdleSince(long epoch)
    {
        lock (_lock)
        {
            return _status == ActivationStatus.Valid && !_pumpOwned && _inFlight == 0 && _requests.Count == 0
                && _continuations.Count == 0 && _keepAliveTimers == 0 && !_deactivationRequested
                && _lastActiveEpoch <= epoch;
        }
    }

    internal void AddTimer(GrainTimer timer)
    {
        lock (_lock)
        {
            _timers.Add(timer);
            if (timer.KeepAlive)
            {
                _keepAliveTimers++;
            }
        }
    }

    internal void RemoveTimer(GrainTimer timer)
    {
        lock (_lock)
        {
            if (_timers.Remove(timer) && timer.KeepAlive)
            {
                _keepAliveTimers--;
            }
        }
    }

    private void Schedule() => ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);

    /// <summary>The pump: runs work items one at a time until none is runnable, then lets go.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(Context);
        try
        {
            for (var done = 0; ; done++)
            {
                WorkItem item;
                lock (_lock)
                {
                    if (done == PumpBudget && HasRunnableWork())
                    {
                        // Let other activations have the thread; the pump stays owned and is queued again.
                        Schedule();
                        return;
                    }

                    if (!TryTakeRunnable(out item))
                    {
                        _pumpOwned = false;
                        return;
                    }
                }

                Run(item);
            }
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    private bool HasRunnableWork() =>
        _continuations.Count != 0
        || (_deactivationRequested && _inFlight == 0)
        || FindStartable(claim: false) is not null;

    /// <summary>Picks the next work item; called under the lock.</summary>
    private bool TryTakeRunnable(out WorkItem item)
    {
        if (_continuations.TryDequeue(out var continuation))
        {
            item = new WorkItem(continuation, null);
            return true;
        }

        if (_deactivationRequested && _inFlight == 0 && _status == ActivationStatus.Valid)
        {
            _status = ActivationStatus.Deactivating;
            _deactivationRequested = false;
            BeginRequest(InvokeOptions.None);
            item = new WorkItem(default, new DeactivateRequest(_deactivationReason));
            return true;
        }

        var request = FindStartable(claim: true);
        if (request is null)
        {
            item = default;
            return false;
        }

        if (request.IsActivity)
        {
            _lastActiveEpoch = Runtime.Epoch;
        }

        BeginRequest(request.Options);
        item = new WorkItem(default, request);
        return true;
    }

    /// <summary>
    /// The first request that may start now, in FIFO order; only an always-interleaving request may pass a
    /// request that has to wait. With <paramref name="claim"/> the request is taken off the queue, and
    /// requests whose callers gave up are dropped. Called under the lock.
    /// </summary>
    private Request? FindStartable(bool claim)
    {
        for (var node = _requests.First; node is not null;)
        {
            var next = node.Next;
            var request = node.Value;
            if (!CanStart(request))
            {
                if (_queuedInterleaving == 0)
                {
                    return null;
                }

                node = next;
                continue;
            }

            if (!claim)
            {
                return request;
            }

            _requests.Remove(node);
            _queuedInterleaving -= request.Options.HasFlag(InvokeOptions.AlwaysInterleave) ? 1 : 0;
            if (request.TryClaim())
            {
                return request;
            }

            node = next;
        }

        return null;
    }

    private bool CanStart(Request request) => request is ActivateRequest || CanStart(request.Options);

    private bool CanStart(InvokeOptions options)
    {
        if (_status != ActivationStatus.Valid)
        {
            return false;
        }

        // Once deactivation is requested, an idle activation deactivates before it starts anything new (the
        // request goes to the next activation). But while requests are in flight, a reentrant grain keeps
        // serving the calls they may be waiting on, or deactivating would deadlock them.
        if (_inFlight == 0)
        {
            return !_deactivationRequested;
        }

        if (GrainClass.IsReentrant || options.HasFlag(InvokeOptions.AlwaysInterleave))
        {
            return true;
        }

        return options.HasFlag(InvokeOptions.ReadOnly) ? _inFlightWriters == 0 : _inFlightBlocking == 0;
    }

    private void BeginRequest(InvokeOptions options)
    {
        _inFlight++;
        if (!options.HasFlag(InvokeOptions.AlwaysInterleave))
        {
            _inFlightBlocking++;
            if (!options.HasFlag(InvokeOptions.ReadOnly))
            {
                _inFlightWriters++;
            }
        }
    }

    /// <summary>Ends an in-flight request; called under the lock. Only <paramref name="activity"/> postpones idle collection.</summary>
    private void CountEnd(InvokeOptions options, bool activity = true)
    {
        _inFlight--;
        if (!options.HasFlag(InvokeOptions.AlwaysInterleave))
        {
            _inFlightBlocking--;
            if (!options.HasFlag(InvokeOptions.ReadOnly))
            {
                _inFlightWriters--;
            }
        }

        if (activity)
        {
            _lastActiveEpoch = Runtime.Epoch;
        }
    }

    /// <summary>Ends a request that completed after its first turn, from whatever thread completed it.</summary>
    internal void EndRequest(InvokeOptions options, bool activity = true)
    {
        lock (_lock)
        {
            CountEnd(options, activity);
            if (_pumpOwned || !HasRunnableWork())
            {
                return;
            }

            _pumpOwned = true;
        }

        Schedule();
    }

    private void EndRequestAndReleasePump(InvokeOptions options)
    {
        lock (_lock)
        {
            CountEnd(options);
            if (!HasRunnableWork())
            {
                _pumpOwned = false;
                return;
            }
        }

        Schedule();
    }

    private void ReleasePump()
    {
        lock (_lock)
        {
            if (!HasRunnableWork())
            {
                _pumpOwned = false;
                return;
            }
        }

        Schedule();
    }

    private void Run(WorkItem item)
    {
        if (item.Request is null)
        {
            try
            {
                item.Continuation.Callback(item.Continuation.State);
            }
            catch (Exception exception)
            {
                LogContinuationFailed(Runtime.Logger, exception, GrainId);
            }

            return;
        }

        var request = item.Request;
        Task task;
        try
        {
            task = request.Start(this);
        }
        catch (Exception exception)
        {
            task = Task.FromException(exception);
        }

        if (task.IsCompleted)
        {
            request.Complete(task, this);
            lock (_lock)
            {
                CountEnd(request.Options, request.IsActivity);
            }

            return;
        }

        task.ContinueWith(
            static (completed, state) =>
            {
                var (activation, request) = ((GrainActivation, Request))state!;
                request.Complete(completed, activation);
                activation.EndRequest(request.Options, request.IsActivity);
            },
            (this, request),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Creates the grain, loads its persistent state and runs <see cref="Grain.OnActivateAsync"/>.</summary>
    private async Task ActivateAsync()
    {
        var states = GrainClass.CreateStates(GrainId, Runtime.Services);
        Constructing = this;
        try
        {
            _grain = GrainClass.Create(Runtime.Services, states.Arguments);
        }
        finally
        {
            Constructing = null;
        }

        foreach (var loader in states.Loaders)
        {
            await loader.LoadAsync();
        }

        using var cancellation = new CancellationTokenSource(Runtime.Options.ActivationTimeout, Runtime.TimeProvider);
        await _grain.OnActivateAsync(cancellation.Token);
    }

    private void OnActivated(Task activation)
    {
        if (activation.IsCompletedSuccessfully)
        {
            lock (_lock)
            {
                _status = ActivationStatus.Valid;
            }

            return;
        }

        var error = activation.Exception?.InnerException ?? new InvalidOperationException($"Activation of {GrainId} was cancelled.");
        LogActivationFailed(Runtime.Logger, error, GrainId);
        List<Request> pending;
        lock (_lock)
        {
            _status = ActivationStatus.Invalid;
            pending = [.. _requests];
            _requests.Clear();
        }

        DisposeTimers();
        Runtime.Remove(this);
        foreach (var request in pending)
        {
            request.Fail(error);
        }

        _deactivated.TrySetResult();
    }

    private async Task DeactivateAsync(DeactivationReason reason)
    {
        DisposeTimers();
        if (_grain is null)
        {
            return;
        }

        using var cancellation = new CancellationTokenSource(Runtime.Options.DeactivationTimeout, Runtime.TimeProvider);
        await _grain.OnDeactivateAsync(reason, cancellation.Token);
    }

    private void OnDeactivated(Task deactivation)
    {
        if (deactivation.Exception is { } failed)
        {
            LogDeactivationFailed(Runtime.Logger, failed.InnerException ?? failed, GrainId);
        }

        List<Request> pending;
        lock (_lock)
        {
            _status = ActivationStatus.Invalid;
            pending = [.. _requests];
            _requests.Clear();
        }

        Runtime.Remove(this);
        foreach (var request in pending)
        {
            // Requests that arrived during deactivation go to the next activation.
            request.Forward(Runtime);
        }

        _deactivated.TrySetResult();
    }

    private void DisposeTimers()
    {
        GrainTimer[] timers;
        lock (_lock)
        {
            timers = [.. _timers];
        }

        foreach (var timer in timers)
        {
            timer.Dispose();
        }
    }

    private static InvalidOperationException NullTask(GrainInvokable call) =>
        new($"{call.MethodName} returned a null task.");

    [LoggerMessage(Level = LogLevel.Error, Message = "Activation of {GrainId} failed")]
    private static partial void LogActivationFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deactivation of {GrainId} failed")]
    private static partial void LogDeactivationFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(Level = LogLevel.Error, Message = "A continuation of {GrainId} threw")]
    private static partial void LogContinuationFailed(ILogger logger, Exception exception, GrainId grainId);

    private enum ActivationStatus
    {
        Activating,
        Valid,
        Deactivating,
        Invalid,
    }

    private readonly record struct Continuation(SendOrPostCallback Callback, object? State);

    private readonly record struct WorkItem(Continuation Continuation, Request? Request);

    /// <summary>A unit of work that starts a turn and may span several.</summary>
    internal abstract class Request
    {
        private const int Queued = 0;
        private const int Claimed = 1;
        private const int Expired = 2;

        private int _state;

        public virtual InvokeOptions Options => InvokeOptions.None;

        /// <summary>Whether running it counts as use of the activation, which postpones its idle collection.</summary>
        public virtual bool IsActivity => true;

        protected bool IsExpired => Volatile.Read(ref _state) == Expired;

        /// <summary>Marks the request expired unless it has been claimed to run. True if it will never run.</summary>
        public bool TryExpire() => Interlocked.CompareExchange(ref _state, Expired, Queued) == Queued;

        /// <summary>Claims the request to run; false when its caller gave up on it first.</summary>
        public bool TryClaim() => Interlocked.CompareExchange(ref _state, Claimed, Queued) == Queued;

        public Task Start(GrainActivation activation) => Execute(activation);

        protected abstract Task Execute(GrainActivation activation);

        public virtual void Complete(Task task, GrainActivation activation)
        {
        }

        public virtual void Fail(Exception exception)
        {
        }

        public virtual void Forward(GrainRuntime runtime)
        {
        }

        public override string ToString() => GetType().Name;
    }

    private sealed class ActivateRequest : Request
    {
        protected override Task Execute(GrainActivation activation) => activation.ActivateAsync();

        public override void Complete(Task task, GrainActivation activation) => activation.OnActivated(task);
    }

    private sealed class DeactivateRequest(DeactivationReason reason) : Request
    {
        protected override Task Execute(GrainActivation activation) => activation.DeactivateAsync(reason);

        public override void Complete(Task task, GrainActivation activation) => activation.OnDeactivated(task);
    }

    private sealed class CallRequest<TResult>(GrainReference target, GrainInvokable<TResult> call) : Request
    {
        private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<TResult> Task => _completion.Task;

        public override InvokeOptions Options => call.Options;

        public override string ToString() => call.MethodName;

        protected override Task Execute(GrainActivation activation) =>
            call.InvokeAsync(activation._grain!) ?? throw NullTask(call);

        public override void Complete(Task task, GrainActivation activation)
        {
            if (task.IsCompletedSuccessfully)
            {
                _completion.TrySetResult(((Task<TResult>)task).Result);
            }
            else if (task.IsCanceled)
            {
                _completion.TrySetCanceled();
            }
            else
            {
                _completion.TrySetException(task.Exception!.InnerExceptions);
            }
        }

        public override void Fail(Exception exception) => _completion.TrySetException(exception);

        public override void Forward(GrainRuntime runtime)
        {
            if (IsExpired)
            {
                return;
            }

            Task<TResult> forwarded;
            try
            {
                forwarded = runtime.InvokeAsync(target, call);
            }
            catch (Exception exception)
            {
                _completion.TrySetException(exception);
                return;
            }

            forwarded.ContinueWith(
                static (task, state) => ((TaskCompletionSource<TResult>)state!).TrySetFromTask(task),
                _completion,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private sealed class VoidCallRequest(GrainReference target, VoidGrainInvokable call) : Request
    {
        private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Task => _completion.Task;

        public override InvokeOptions Options => call.Options;

        public override string ToString() => call.MethodName;

        protected override Task Execute(GrainActivation activation) =>
            call.InvokeAsync(activation._grain!) ?? throw NullTask(call);

        public override void Complete(Task task, GrainActivation activation) => _completion.TrySetFromTask(task);

        public override void Fail(Exception exception) => _completion.TrySetException(exception);

        public override void Forward(GrainRuntime runtime)
        {
            if (IsExpired)
            {
                return;
            }

            Task forwarded;
            try
            {
                forwarded = runtime.InvokeAsync(target, call);
            }
            catch (Exception exception)
            {
                _completion.TrySetException(exception);
                return;
            }

            forwarded.ContinueWith(
                static (task, state) => ((TaskCompletionSource)state!).TrySetFromTask(task),
                _completion,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    /// <summary>A timer tick: runs the callback as a turn of its own.</summary>
    internal sealed class TimerTickRequest(GrainTimer timer) : Request
    {
        public override InvokeOptions Options => timer.Interleave ? InvokeOptions.AlwaysInterleave : InvokeOptions.None;

        /// <summary>As in Orleans, ticks do not keep an otherwise idle grain alive; a keep-alive timer does that.</summary>
        public override bool IsActivity => false;

        protected override Task Execute(GrainActivation activation) => timer.RunCallback();

        public override void Complete(Task task, GrainActivation activation) => timer.OnCallbackCompleted(task);
    }
}
