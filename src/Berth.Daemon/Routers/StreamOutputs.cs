using Berth.Daemon.Backends;
using Berth.Daemon.Http;

namespace Berth.Daemon.Routers;

/// <summary>Builds the client side of attach/exec: raw with a TTY, multiplexed frames without.</summary>
internal sealed class StreamOutputs : IDisposable
{
    private readonly MultiplexedStreamWriter? _mux;

    public StreamOutputs(HijackedConnection connection, bool tty, bool stdin, bool stdout, bool stderr)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (tty)
        {
            Streams = new AttachStreams(stdin ? connection.Input : null, stdout || stderr ? connection.Output : null, null);
            return;
        }

        _mux = new MultiplexedStreamWriter(connection.Output);
        Streams = new AttachStreams(
            stdin ? connection.Input : null,
            stdout ? _mux.For(Api.Streams.StreamFormats.Stdout) : null,
            stderr ? _mux.For(Api.Streams.StreamFormats.Stderr) : null);
    }

    public AttachStreams Streams { get; }

    public void Dispose() => _mux?.Dispose();
}
