namespace HallMonitor.Runtime;

/// <summary>Why an activation is being deactivated.</summary>
public enum DeactivationReason
{
    /// <summary>No request for longer than the idle timeout.</summary>
    IdleCollection,

    /// <summary>The grain called <c>DeactivateOnIdle</c>.</summary>
    ApplicationRequested,

    /// <summary>The runtime is shutting down.</summary>
    ShuttingDown,
}
