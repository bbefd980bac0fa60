using System.Threading.Channels;

namespace HallMonitor.Grains;

/// <summary>
/// The committed journal events of a hall as they happen, in sequence order. The silo publishes them; the
/// web edge pushes them to browsers. In process it is the journal itself; across processes, pub/sub.
/// </summary>
public interface IHallEventStream
{
    /// <summary>Events committed from now on, until the subscription is disposed.</summary>
    IHallEventSubscription Subscribe(string hallId);
}

/// <summary>A live feed of one hall's committed events.</summary>
public interface IHallEventSubscription : IDisposable
{
    ChannelReader<IReadOnlyList<JournalRecord>> Reader { get; }
}
