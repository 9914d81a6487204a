using System.Threading.Channels;

namespace Berth.Daemon.Events;

/// <summary>A listener on the bus: past events, then live ones; dispose to leave.</summary>
internal sealed class EventSubscription(IReadOnlyList<DaemonEvent> history, ChannelReader<DaemonEvent> live, Action leave) : IDisposable
{
    public IReadOnlyList<DaemonEvent> History { get; } = history;

    public ChannelReader<DaemonEvent> Live { get; } = live;

    public void Dispose() => leave();
}
