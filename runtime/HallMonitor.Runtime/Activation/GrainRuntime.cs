using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HallMonitor.Runtime;

/// <summary>
/// The in-process grain runtime: hands out grain references, keeps the directory of activations, routes
/// calls to them, and collects the idle ones.
/// </summary>
public sealed partial class GrainRuntime : IGrainFactory, IGrainCallInvoker
{
    private readonly ConcurrentDictionary<GrainId, GrainActivation> _directory = new();
    private readonly Dictionary<Type, GrainClass> _classesByInterface = [];
    private readonly Dictionary<string, GrainClass> _classesByName = new(StringComparer.Ordinal);
    private readonly long _idleEpochs;
    private ITimer? _collector;
    private long _epoch;
    private volatile bool _stopping;

    public GrainRuntime(
        IServiceProvider services,
        IOptions<GrainRuntimeOptions> options,
        TimeProvider timeProvider,
        ILoggerFactory? loggerFactory = null)
    {
        Services = services;
        Options = options.Value;
        TimeProvider = timeProvider;
        Logger = (ILogger?)loggerFactory?.CreateLogger<GrainRuntime>() ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _idleEpochs = (long)Math.Ceiling(Options.IdleTimeout / Options.CollectionQuantum);

        foreach (var type in Options.GrainAssemblies.Distinct().SelectMany(a => a.GetTypes()))
        {
            if (type.IsAbstract || !typeof(Grain).IsAssignableFrom(type))
            {
                continue;
            }

            var grainClass = new GrainClass(type);
            if (!_classesByName.TryAdd(grainClass.Name, grainClass))
            {
                throw new InvalidOperationException($"Two grain classes are named '{grainClass.Name}': {_classesByName[grainClass.Name].Type} and {type}.");
            }

            foreach (var grainInterface in type.GetInterfaces().Where(IsGrainInterface))
            {
                if (!_classesByInterface.TryAdd(grainInterface, grainClass))
                {
                    throw new InvalidOperationException($"{grainInterface} is implemented by two grain classes: {_classesByInterface[grainInterface].Type} and {type}.");
                }
            }
        }
    }

    public IServiceProvider Services { get; }

    public GrainRuntimeOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    internal ILogger Logger { get; }

    internal long Epoch => Volatile.Read(ref _epoch);

    /// <summary>The number of live activations.</summary>
    public int ActivationCount => _directory.Count;

    /// <summary>Live activations per grain type, every hosted type included.</summary>
    public IReadOnlyDictionary<string, int> CountActivationsByType()
    {
        var counts = _classesByName.Keys.ToDictionary(name => name, _ => 0, StringComparer.Ordinal);
        foreach (var grainId in _directory.Keys)
        {
            counts[grainId.Type] = counts.GetValueOrDefault(grainId.Type) + 1;
        }

        return counts;
    }

    /// <summary>Starts the idle collector.</summary>
    public void Start() =>
        _collector ??= TimeProvider.CreateTimer(static state => ((GrainRuntime)state!).CollectIdle(), this, Options.CollectionQuantum, Options.CollectionQuantum);

    /// <summary>Deactivates every activation, running <see cref="Grain.OnDeactivateAsync"/>, and refuses new ones.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        _stopping = true;
        _collector?.Dispose();

        // Deactivation may call other grains and so activate them again; repeat until the directory is empty.
        for (var round = 0; round < 10 && !_directory.IsEmpty; round++)
        {
            var activations = _directory.Values.ToArray();
            foreach (var activation in activations)
            {
                activation.RequestDeactivation(DeactivationReason.ShuttingDown);
            }

            try
            {
                await Task.WhenAll(activations.Select(a => a.Deactivated)).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException exception)
            {
                var stuck = string.Join("; ", activations.Where(a => !a.Deactivated.IsCompleted).Select(a => a.Describe()));
                throw new OperationCanceledException($"The grain runtime stopped before these activations deactivated: {stuck}", exception, cancellationToken);
            }
        }
    }

    public TGrainInterface GetGrain<TGrainInterface>(string primaryKey)
        where TGrainInterface : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(primaryKey);
        if (!_classesByInterface.TryGetValue(typeof(TGrainInterface), out var grainClass))
        {
            throw new InvalidOperationException($"No grain class implements {typeof(TGrainInterface).FullName}.");
        }

        return GrainReferenceRegistry.Create<TGrainInterface>(new GrainId(grainClass.Name, primaryKey), this);
    }

    /// <summary>Returns a reference to the grain behind an activation, typed as one of its interfaces.</summary>
    internal TGrainInterface GetReference<TGrainInterface>(GrainId grainId)
        where TGrainInterface : IGrain
        => GrainReferenceRegistry.Create<TGrainInterface>(grainId, this);

    public Task<TResult> InvokeAsync<TResult>(GrainReference target, GrainInvokable<TResult> call)
    {
        while (true)
        {
            var activation = Resolve(target);
            var task = activation.TryInvoke(target, call);
            if (task is not null)
            {
                return task;
            }

            target.CachedActivation = null;
        }
    }

    public Task InvokeAsync(GrainReference target, VoidGrainInvokable call)
    {
        while (true)
        {
            var activation = Resolve(target);
            var task = activation.TryInvoke(target, call);
            if (task is not null)
            {
                return task;
            }

            target.CachedActivation = null;
        }
    }

    private GrainActivation Resolve(GrainReference target)
    {
        if (target.CachedActivation is GrainActivation cached && !cached.IsInvalid)
        {
            return cached;
        }

        var grainId = target.GrainId;
        while (true)
        {
            if (_directory.TryGetValue(grainId, out var existing) && !existing.IsInvalid)
            {
                target.CachedActivation = existing;
                return existing;
            }

            if (_stopping)
            {
                throw new InvalidOperationException($"The grain runtime is stopping; {grainId} cannot be activated.");
            }

            if (!_classesByName.TryGetValue(grainId.Type, out var grainClass))
            {
                throw new InvalidOperationException($"No grain class is named '{grainId.Type}'.");
            }

            var activation = new GrainActivation(this, grainClass, grainId);
            var added = existing is null
                ? _directory.TryAdd(grainId, activation)
                : _directory.TryUpdate(grainId, activation, existing);
            if (added)
            {
                target.CachedActivation = activation;
                return activation;
            }
        }
    }

    internal void Remove(GrainActivation activation) =>
        _directory.TryRemove(new KeyValuePair<GrainId, GrainActivation>(activation.GrainId, activation));

    /// <summary>Lets a call that has not completed synchronously fail with <see cref="TimeoutException"/> after the call timeout.</summary>
    internal Task<TResult> WithTimeout<TResult>(Task<TResult> task, GrainActivation.Request? request, GrainInvokable call, GrainId grainId)
    {
        if (task.IsCompleted || Options.CallTimeout == Timeout.InfiniteTimeSpan)
        {
            return task;
        }

        return Await(task, request, call, grainId);

        async Task<TResult> Await(Task<TResult> task, GrainActivation.Request? request, GrainInvokable call, GrainId grainId)
        {
            try
            {
                return await task.WaitAsync(Options.CallTimeout, TimeProvider).ConfigureAwait(false);
            }
            catch (TimeoutException) when (!task.IsCompleted)
            {
                request?.TryExpire();
                throw CallTimedOut(call, grainId);
            }
        }
    }

    internal Task WithTimeout(Task task, GrainActivation.Request? request, GrainInvokable call, GrainId grainId)
    {
        if (task.IsCompleted || Options.CallTimeout == Timeout.InfiniteTimeSpan)
        {
            return task;
        }

        return Await(task, request, call, grainId);

        async Task Await(Task task, GrainActivation.Request? request, GrainInvokable call, GrainId grainId)
        {
            try
            {
                await task.WaitAsync(Options.CallTimeout, TimeProvider).ConfigureAwait(false);
            }
            catch (TimeoutException) when (!task.IsCompleted)
            {
                request?.TryExpire();
                throw CallTimedOut(call, grainId);
            }
        }
    }

    private TimeoutException CallTimedOut(GrainInvokable call, GrainId grainId) =>
        new($"{call.MethodName} on {grainId} did not answer within {Options.CallTimeout.TotalSeconds:0.###} s.");

    private void CollectIdle()
    {
        var epoch = Interlocked.Increment(ref _epoch);
        var idleSince = epoch - _idleEpochs - 1;
        var collected = 0;
        foreach (var activation in _directory.Values)
        {
            if (activation.IsIdleSince(idleSince))
            {
                activation.RequestDeactivation(DeactivationReason.IdleCollection);
                collected++;
            }
        }

        if (collected > 0)
        {
            LogCollected(Logger, collected);
        }
    }

    private static bool IsGrainInterface(Type type) =>
        type != typeof(IGrain) && type != typeof(IGrainWithStringKey) && typeof(IGrainWithStringKey).IsAssignableFrom(type);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deactivating {Count} idle activations")]
    private static partial void LogCollected(ILogger logger, int count);
}
