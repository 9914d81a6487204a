using System.Text;

namespace Berth.Linux;

/// <summary>
/// Newline-delimited messages over a socket fd: the runtime and its init talk over one before the init
/// execs (request down, "ready" or a step error up), with no managed socket machinery in the init.
/// </summary>
public sealed class LineChannel(SafeFd fd) : IDisposable
{
    private readonly List<byte> _pending = [];

    public SafeFd Fd { get; } = fd;

    public void Send(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        Send(Encoding.UTF8.GetBytes(line.ReplaceLineEndings(" ")));
    }

    /// <summary>One line as UTF-8 bytes (compact JSON, say), sent as it is: it must hold no newline.</summary>
    public void Send(ReadOnlySpan<byte> line)
    {
        if (line.Contains((byte)'\n'))
        {
            throw new ArgumentException("a line holds no newline", nameof(line));
        }

        FileDescriptors.Write(Fd, [.. line, (byte)'\n']);
    }

    /// <summary>The next line, or null at end of stream.</summary>
    public string? Receive() => ReceiveUtf8() is { } line ? Encoding.UTF8.GetString(line) : null;

    /// <summary>The next line as the UTF-8 bytes it came as (for a reader of bytes: no round trip through a string), or null at end of stream.</summary>
    public byte[]? ReceiveUtf8()
    {
        Span<byte> buffer = stackalloc byte[4096];
        while (true)
        {
            int newline = _pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                byte[] line = [.. _pending.GetRange(0, newline)];
                _pending.RemoveRange(0, newline + 1);
                return line;
            }

            int n = FileDescriptors.Read(Fd, buffer);
            if (n == 0)
            {
                return null;
            }

            _pending.AddRange(buffer[..n]);
        }
    }

    public void Dispose() => Fd.Dispose();
}
