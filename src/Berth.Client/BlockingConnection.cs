namespace Berth.Client;

/// <summary>
/// A connection to the daemon that its maker opened with plain blocking system calls (see
/// <see cref="BerthClient.ConnectBlocking"/>): reads and writes on <see cref="Stream"/> block the calling thread and fail
/// with <see cref="IOException"/>; <see cref="Shutdown"/>, from another thread, ends a call blocked on it.
/// </summary>
public sealed class BlockingConnection(Stream stream, Action shutdown) : IDisposable
{
    public Stream Stream { get; } = stream;

    public void Shutdown() => shutdown();

    public void Dispose() => Stream.Dispose();
}
