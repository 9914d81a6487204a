using System.Threading.Channels;

namespace Berth.Daemon.Events;

/// <summary>
/// The in-process event bus behind <c>/events</c>: keeps the last <see cref="HistoryLimit"/> events for <c>since</c>
/// (moby keeps 256) and fans new ones out to subscribers; a subscriber that falls behind loses its oldest events
/// rather than slowing the publisher.
/// </summary>
internal sealed class EventBus(TimeProvider timeProvider) : IEventPublisher
{
    public const int HistoryLimit = 256;
    private const int SubscriberBuffer = 1024;

    private readonly Lock _lock = new();
    private readonly Queue<DaemonEvent> _history = new();
    private readonly List<Channel<DaemonEvent>> _subscribers = [];

    public EventBus()
        : this(TimeProvider.System)
    {
    }

    public int ListenerCount
    {
        get
        {
            lock (_lock)
            {
                return _subscribers.Count;
            }
        }
    }

    public void Publish(string type, string action, string actorId, IReadOnlyDictionary<string, string>? attributes = null)
    {
        var message = new DaemonEvent(type, action, actorId, attributes ?? new Dictionary<string, string>(), timeProvider.GetUtcNow());
        lock (_lock)
        {
            _history.Enqueue(message);
            while (_history.Count > HistoryLimit)
            {
                _history.Dequeue();
            }

            foreach (Channel<DaemonEvent> subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(message);
            }
        }
    }

    /// <summary>The history so far and every later event, with no gap or duplicate between the two.</summary>
    public EventSubscription Subscribe()
    {
        var channel = Channel.CreateBounded<DaemonEvent>(new BoundedChannelOptions(SubscriberBuffer)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_lock)
        {
            _subscribers.Add(channel);
            return new EventSubscription([.. _history], channel.Reader, () => Unsubscribe(channel));
        }
    }

    private void Unsubscribe(Channel<DaemonEvent> channel)
    {
        lock (_lock)
        {
            _subscribers.Remove(channel);
        }

        channel.Writer.TryComplete();
    }
}
