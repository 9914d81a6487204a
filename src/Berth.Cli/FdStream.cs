using Berth.Linux;

namespace Berth.Cli;

/// <summary>
/// An fd as a blocking stream (a connected socket, or standard output); system call failures surface as
/// <see cref="IOException"/>. With <paramref name="dropAfterBrokenPipe"/>, writes to a reader that went away are
/// dropped, as the runtime's console does for `berth ps | head -1`.
/// </summary>
internal sealed class FdStream(SafeFd fd, bool dropAfterBrokenPipe = false) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return FileDescriptors.Read(fd, buffer);
        }
        catch (LinuxException ex)
        {
            throw new IOException(ex.Message, ex);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try
        {
            FileDescriptors.Write(fd, buffer);
        }
        catch (LinuxException ex) when (dropAfterBrokenPipe && ex.Errno == Errno.EPIPE)
        {
            // The reader is gone: nobody is left to see the rest.
        }
        catch (LinuxException ex)
        {
            throw new IOException(ex.Message, ex);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            fd.Dispose();
        }

        base.Dispose(disposing);
    }
}
