using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Berth.Core.Progress;

namespace Berth.Daemon.Backends;

/// <summary>Turns an operation that reports to an <see cref="IProgress{T}"/> into the event stream the routers write:
/// events in order as they come, then the operation's failure (if any) after the last one.</summary>
internal static class ProgressChannel
{
    public static async IAsyncEnumerable<ProgressEvent> RunAsync(
        Func<IProgress<ProgressEvent>, CancellationToken, Task> operation, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<ProgressEvent>(new UnboundedChannelOptions { SingleReader = true });
        Task running = Task.Run(async () =>
        {
            try
            {
                await operation(new Sink(channel.Writer), cancellationToken);
            }
            finally
            {
                channel.Writer.TryComplete();
            }
        }, CancellationToken.None);

        await foreach (ProgressEvent e in channel.Reader.ReadAllAsync(CancellationToken.None))
        {
            yield return e;
        }

        await running;
    }

    private sealed class Sink(ChannelWriter<ProgressEvent> writer) : IProgress<ProgressEvent>
    {
        public void Report(ProgressEvent value) => writer.TryWrite(value);
    }
}
