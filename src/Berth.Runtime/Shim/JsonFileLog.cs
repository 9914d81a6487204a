using System.Globalization;
using System.Text;

namespace Berth.Runtime.Shim;

/// <summary>
/// Docker's json-file log driver, byte for byte: one <c>{"log":"…","stream":"stdout","time":"…Z"}</c> per line,
/// escaped as Go's encoding/json escapes (HTML characters as \u003c…, invalid UTF-8 as \ufffd), times in UTC
/// with nine fraction digits; rotated when the file has reached <c>maxSize</c> (FILE → FILE.1 → … FILE.(maxFiles-1)).
/// Each record goes to the kernel at once (no user-space buffer), so nothing is lost if the shim dies.
/// </summary>
internal sealed class JsonFileLog : IDisposable
{
    public const long DefaultMaxSize = 10 * 1024 * 1024;
    public const int DefaultMaxFiles = 3;

    private static readonly byte[] Hex = "0123456789abcdef"u8.ToArray();
    private readonly string _path;
    private readonly long _maxSize;
    private readonly int _maxFiles;
    private readonly List<byte> _record = new(256);
    private FileStream _file;
    private long _size;

    /// <param name="maxSize">Rotate once the file holds this many bytes; 0 or less: never.</param>
    /// <param name="maxFiles">Files kept, the current one included (at least 1: then the file is truncated instead).</param>
    public JsonFileLog(string path, long maxSize = DefaultMaxSize, int maxFiles = DefaultMaxFiles)
    {
        _path = Path.GetFullPath(path);
        _maxSize = maxSize;
        _maxFiles = Math.Max(1, maxFiles);
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        _file = Open(_path);
        _size = _file.Length;
    }

    public string FilePath => _path;

    /// <summary>Writes one record; <paramref name="partial"/> records carry no trailing newline (Docker's lines over 16 KiB).</summary>
    public void Write(string stream, ReadOnlySpan<byte> line, bool partial, DateTime time)
    {
        _record.Clear();
        Append("{\"log\":\""u8);
        AppendEscaped(line);
        if (!partial)
        {
            Append("\\n"u8);
        }

        Append("\",\"stream\":\""u8);
        Append(Encoding.UTF8.GetBytes(stream));
        Append("\",\"time\":\""u8);
        Append(Encoding.ASCII.GetBytes(FormatTime(time)));
        Append("\"}\n"u8);

        if (_maxSize > 0 && _size >= _maxSize)
        {
            Rotate();
        }

        byte[] bytes = [.. _record];
        _file.Write(bytes);
        _file.Flush();
        _size += bytes.Length;
    }

    /// <summary>Go's RFC3339NanoFixed in UTC: 2026-11-29T03:04:05.123456700Z (.NET ticks are 100 ns).</summary>
    public static string FormatTime(DateTime time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'00Z'", CultureInfo.InvariantCulture);

    public void Dispose() => _file.Dispose();

    private void Rotate()
    {
        _file.Dispose();
        if (_maxFiles > 1)
        {
            File.Delete($"{_path}.{_maxFiles - 1}");
            for (int i = _maxFiles - 2; i >= 1; i--)
            {
                if (File.Exists($"{_path}.{i}"))
                {
                    File.Move($"{_path}.{i}", $"{_path}.{i + 1}");
                }
            }

            File.Move(_path, _path + ".1");
            _file = Open(_path);
        }
        else
        {
            _file = Open(_path);
            _file.SetLength(0);
        }

        _size = 0;
    }

    private static FileStream Open(string path) =>
        new(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);

    private void Append(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            _record.Add(b);
        }
    }

    private void AppendEscaped(ReadOnlySpan<byte> text)
    {
        int i = 0;
        while (i < text.Length)
        {
            byte b = text[i];
            if (b < 0x80)
            {
                AppendAscii(b);
                i++;
                continue;
            }

            if (System.Text.Rune.DecodeFromUtf8(text[i..], out System.Text.Rune rune, out int read) == System.Buffers.OperationStatus.Done)
            {
                // A valid sequence is copied, but U+2028 and U+2029 are escaped as Go does.
                if (rune.Value is 0x2028 or 0x2029)
                {
                    Append(rune.Value == 0x2028 ? "\\u2028"u8 : "\\u2029"u8);
                }
                else
                {
                    Append(text.Slice(i, read));
                }

                i += read;
                continue;
            }

            // Go replaces each byte of an invalid sequence on its own.
            Append("\\ufffd"u8);
            i++;
        }
    }

    private void AppendAscii(byte b)
    {
        switch (b)
        {
            case (byte)'"':
                Append("\\\""u8);
                return;
            case (byte)'\\':
                Append("\\\\"u8);
                return;
            case (byte)'\n':
                Append("\\n"u8);
                return;
            case (byte)'\r':
                Append("\\r"u8);
                return;
            case (byte)'\t':
                Append("\\t"u8);
                return;
            case (byte)'<' or (byte)'>' or (byte)'&' or < 0x20:
                Append("\\u00"u8);
                _record.Add(Hex[b >> 4]);
                _record.Add(Hex[b & 0xf]);
                return;
            default:
                _record.Add(b);
                return;
        }
    }
}
