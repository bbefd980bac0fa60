namespace HallMonitor.Runtime;

/// <summary>How a request may be scheduled against other requests of the same activation.</summary>
[Flags]
public enum InvokeOptions
{
    None = 0,

    /// <summary>The method is marked <see cref="ReadOnlyAttribute"/>.</summary>
    ReadOnly = 1,

    /// <summary>The method is marked <see cref="AlwaysInterleaveAttribute"/>.</summary>
    AlwaysInterleave = 2,
}

/// <summary>
/// One call of one grain interface method with its arguments. Generated grain references create one per
/// call; the runtime invokes it on the activation. The arguments stay inspectable so a remote invoker can
/// ship them.
/// </summary>
public abstract class GrainInvokable
{
    /// <summary>The interface and method, for example <c>IWindowGrain.OpenAsync</c>.</summary>
    public abstract string MethodName { get; }

    public abstract InvokeOptions Options { get; }

    public abstract object?[] GetArguments();

    public override string ToString() => MethodName;
}

/// <summary>A call of a method that returns no value.</summary>
public abstract class VoidGrainInvokable : GrainInvokable
{
    public abstract Task InvokeAsync(object grain);
}

/// <summary>A call of a method that returns a <typeparamref name="TResult"/>.</summary>
public abstract class GrainInvokable<TResult> : GrainInvokable
{
    public abstract Task<TResult> InvokeAsync(object grain);
}
