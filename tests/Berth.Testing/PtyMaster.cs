using System.Text;
using System.Text.RegularExpressions;
using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Testing;

/// <summary>
/// A pty master received from a runtime: a background thread collects everything the container writes (until the
/// last slave fd closes and read gives EIO); <see cref="Write"/> types into it.
/// </summary>
public sealed class PtyMaster : IDisposable
{
    private readonly SafeFd _fd;
    private readonly FileStream _stream;
    private readonly StringBuilder _output = new();
    private readonly Thread _reader;

    public PtyMaster(SafeFd fd)
    {
        ArgumentNullException.ThrowIfNull(fd);
        _fd = fd;
        _stream = new FileStream(new SafeFileHandle(fd.DangerousGetHandle(), ownsHandle: false), FileAccess.ReadWrite, bufferSize: 0);
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "pty master reader" };
        _reader.Start();
    }

    public int Fd => _fd.Fd;

    public bool IsTerminal => Terminal.IsTerminal(_fd.Fd);

    /// <summary>The window size of the pty.</summary>
    public (ushort Rows, ushort Columns)? Size => Terminal.GetSize(_fd.Fd);

    /// <summary>Everything read so far (CR LF as the tty sends it).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public void Write(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        _stream.Write(bytes, 0, bytes.Length);
    }

    /// <summary>Waits until a line of the output (CRs removed) matches <paramref name="pattern"/>.</summary>
    public async Task<string> WaitForLineAsync(string pattern, TimeSpan? timeout = null)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline, TimeSpan.FromSeconds(1));
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < deadline)
        {
            if (regex.Match(Output.Replace("\r", "", StringComparison.Ordinal)) is { Success: true } m)
            {
                return m.Value;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"no line matching /{pattern}/ on the pty master; read so far:\n{Output}");
    }

    /// <summary>Waits for the reader to see the end of the pty (every slave closed).</summary>
    public bool WaitForHangup(TimeSpan timeout) => _reader.Join(timeout);

    public void Dispose()
    {
        _stream.Dispose();
        _fd.Dispose();
    }

    private void ReadLoop()
    {
        byte[] buffer = new byte[4096];
        try
        {
            while (true)
            {
                int n = _stream.Read(buffer, 0, buffer.Length);
                if (n <= 0)
                {
                    return;
                }

                lock (_output)
                {
                    _output.Append(Encoding.UTF8.GetString(buffer, 0, n));
                }
            }
        }
        catch (IOException)
        {
            // EIO: the last slave fd closed.
        }
        catch (ObjectDisposedException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
