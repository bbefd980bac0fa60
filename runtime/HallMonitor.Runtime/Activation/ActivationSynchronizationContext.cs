namespace HallMonitor.Runtime;

/// <summary>
/// Sends the continuations of a grain's awaits back into its activation's mailbox, so that code after an
/// <c>await</c> runs as a turn of that activation and never beside another.
/// </summary>
internal sealed class ActivationSynchronizationContext(GrainActivation activation) : SynchronizationContext
{
    public GrainActivation Activation { get; } = activation;

    public override void Post(SendOrPostCallback d, object? state) => Activation.Post(d, state);

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Grain code cannot block on its own activation.");

    public override SynchronizationContext CreateCopy() => this;
}
