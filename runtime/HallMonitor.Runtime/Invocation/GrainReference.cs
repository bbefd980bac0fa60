namespace HallMonitor.Runtime;

/// <summary>Routes calls to a grain. A reference is what <see cref="IGrainFactory.GetGrain{T}"/> returns.</summary>
public interface IGrainCallInvoker
{
    Task<TResult> InvokeAsync<TResult>(GrainReference target, GrainInvokable<TResult> call);

    Task InvokeAsync(GrainReference target, VoidGrainInvokable call);
}

/// <summary>
/// Base of the generated grain references: every interface method becomes a <see cref="GrainInvokable"/>
/// handed to the invoker. Two references to the same grain are equal.
/// </summary>
public abstract class GrainReference : IEquatable<GrainReference>
{
    private readonly IGrainCallInvoker _invoker;

    protected GrainReference(GrainId grainId, IGrainCallInvoker invoker)
    {
        GrainId = grainId;
        _invoker = invoker;
    }

    public GrainId GrainId { get; }

    /// <summary>The activation this reference last reached; a hint that spares the directory look-up.</summary>
    internal object? CachedActivation { get; set; }

    protected Task<TResult> InvokeAsync<TResult>(GrainInvokable<TResult> call) => _invoker.InvokeAsync(this, call);

    protected Task InvokeAsync(VoidGrainInvokable call) => _invoker.InvokeAsync(this, call);

    public bool Equals(GrainReference? other) => other is not null && other.GrainId == GrainId;

    public override bool Equals(object? obj) => obj is GrainReference other && Equals(other);

    public override int GetHashCode() => GrainId.GetHashCode();

    public override string ToString() => GrainId.ToString();
}
