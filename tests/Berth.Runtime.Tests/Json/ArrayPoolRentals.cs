using System.Diagnostics.Tracing;

namespace Berth.Runtime.Tests.Json;

/// <summary>
/// Counts <c>ArrayPool&lt;T&gt;.Shared</c> rentals made on the current thread while it is alive, from the pool's own
/// event source (an EventListener hears an EventSource's events on the thread that writes them, so rentals made
/// by tests running in parallel on other threads are not counted).
/// </summary>
internal sealed class ArrayPoolRentals : EventListener
{
    private const string SourceName = "System.Buffers.ArrayPoolEventSource";
    private const int BufferRentedEventId = 1;

    private readonly int _threadId = Environment.CurrentManagedThreadId;
    private int _count;

    public int Count => Volatile.Read(ref _count);

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == SourceName)
        {
            EnableEvents(eventSource, EventLevel.Verbose);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventId == BufferRentedEventId && Environment.CurrentManagedThreadId == _threadId)
        {
            Interlocked.Increment(ref _count);
        }
    }
}
