using System.Globalization;

namespace Berth.Client;

/// <summary>
/// A response body read off its connection: Content-Length bytes, chunked, or everything until the daemon closes.
/// Read to its end, the connection goes back to <paramref name="release"/> for the next request (unless it must
/// close); disposed earlier, the connection is closed, since the rest of the body would stand in the way.
/// </summary>
internal sealed class ResponseBodyStream(DaemonConnection connection, long? length, bool chunked, Action<DaemonConnection>? release) : Stream
{
    private long _remaining = length ?? -1;   // in the current chunk when chunked; -1 until its size is read
    private bool _done = length == 0;
    private bool _released;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_done || buffer.IsEmpty)
        {
            Finish();
            return 0;
        }

        if (chunked && _remaining <= 0)
        {
            if (_remaining == 0)
            {
                await connection.ReadLineAsync(cancellationToken);   // the CRLF after a chunk's data
            }

            string sizeLine = await connection.ReadLineAsync(cancellationToken);
            int extension = sizeLine.IndexOf(';', StringComparison.Ordinal);
            if (!long.TryParse(extension < 0 ? sizeLine : sizeLine[..extension], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out _remaining) || _remaining < 0)
            {
                throw new IOException($"malformed chunk size in the daemon's response: \"{sizeLine}\"");
            }

            if (_remaining == 0)
            {
                while ((await connection.ReadLineAsync(cancellationToken)).Length > 0)
                {
                    // Trailers: none that we read.
                }

                _done = true;
                Finish();
                return 0;
            }
        }

        int want = _remaining > 0 ? (int)Math.Min(buffer.Length, _remaining) : buffer.Length;
        int n = await connection.ReadAsync(buffer[..want], cancellationToken);
        if (n == 0)
        {
            if (_remaining > 0)
            {
                throw new IOException("the daemon closed the connection before the end of the response body");
            }

            _done = true;
            Finish();
            return 0;
        }

        if (_remaining > 0)
        {
            _remaining -= n;
            if (_remaining == 0 && !chunked)
            {
                _done = true;
                Finish();
            }
        }

        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_released)
        {
            _released = true;
            connection.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The whole body was read: the connection can serve another request, if it may.</summary>
    private void Finish()
    {
        if (_released)
        {
            return;
        }

        _released = true;
        if (release is not null && (length is not null || chunked))
        {
            release(connection);
        }
        else
        {
            connection.Dispose();
        }
    }
}
