using System.Buffers;
using System.Globalization;
using System.Text;
using Berth.Core.Errors;

namespace Berth.Images.Layers;

/// <summary>
/// A minimal streaming tar reader for layers: ustar and GNU headers (octal or base-256 numbers), pax extended headers
/// (local ones applied to the next entry, global ones skipped as Docker does) and GNU long names and link names.
/// It exists because System.Formats.Tar decodes every pax value as UTF-8, which corrupts binary xattr values such as
/// <c>security.capability</c>; here pax values stay bytes. Extended headers are bounded (<see cref="MaxExtendedHeader"/>)
/// so a header claiming gigabytes is refused before anything is buffered.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The entry stream is a window that holds no resource; the archive stream belongs to the caller.")]
internal sealed class LayerTarReader(Stream stream)
{
    /// <summary>The largest pax header or GNU long name accepted; real ones are a few hundred bytes.</summary>
    public const int MaxExtendedHeader = 1024 * 1024;

    private const int Block = 512;
    private const string XattrPrefix = "SCHILY.xattr.";

    private readonly Stream _stream = stream;
    private readonly byte[] _header = new byte[Block];
    private EntryDataStream? _current;

    /// <summary>The next entry, or null at the end of the archive.</summary>
    public async ValueTask<LayerTarEntry?> NextAsync(CancellationToken cancellationToken)
    {
        if (_current is not null)
        {
            await SkipAsync(_current.Remaining + Padding(_current.Length), cancellationToken);
            _current = null;
        }

        string? longName = null, longLink = null;
        Dictionary<string, byte[]>? pax = null;
        List<KeyValuePair<string, byte[]>>? xattrs = null;
        while (true)
        {
            if (!await ReadBlockAsync(cancellationToken) || _header.AsSpan().IndexOfAnyExcept((byte)0) < 0)
            {
                return longName is null && longLink is null && pax is null
                    ? null
                    : throw Invalid("the archive ends after an extended header");
            }

            VerifyChecksum();
            byte type = _header[156];
            long size = ParseNumber(_header.AsSpan(124, 12), "size");
            switch (type)
            {
                case TarTypeFlag.PaxHeader:
                    pax ??= new(StringComparer.Ordinal);
                    ParsePax(await ReadExtendedAsync(size, "pax header", cancellationToken), pax, xattrs ??= []);
                    continue;
                case TarTypeFlag.PaxGlobalHeader:
                    await SkipAsync(size + Padding(size), cancellationToken);
                    continue;
                case TarTypeFlag.GnuLongName:
                    longName = CString(await ReadExtendedAsync(size, "GNU long name", cancellationToken));
                    continue;
                case TarTypeFlag.GnuLongLink:
                    longLink = CString(await ReadExtendedAsync(size, "GNU long link name", cancellationToken));
                    continue;
            }

            return CreateEntry(type, size, longName, longLink, pax, xattrs);
        }
    }

    private LayerTarEntry CreateEntry(
        byte type, long size, string? longName, string? longLink, Dictionary<string, byte[]>? pax, List<KeyValuePair<string, byte[]>>? xattrs)
    {
        ReadOnlySpan<byte> h = _header;
        bool posix = h.Slice(257, 6).SequenceEqual("ustar\0"u8);
        string name = longName ?? CString(h[..100]);
        if (longName is null && posix && CString(h.Slice(345, 155)) is { Length: > 0 } prefix)
        {
            name = prefix + "/" + name;
        }

        if (pax is not null)
        {
            name = Text(pax, "path") ?? name;
            size = Number(pax, "size") ?? size;
        }

        if (TarTypeFlag.IsHeaderOnly(type))
        {
            size = 0;
        }

        _current = new EntryDataStream(this, size);
        return new LayerTarEntry
        {
            Name = name,
            Type = type,
            LinkName = (pax is null ? null : Text(pax, "linkpath")) ?? longLink ?? CString(h.Slice(157, 100)),
            Mode = (int)(ParseNumber(h.Slice(100, 8), "mode") & 0xFFF),
            Uid = checked((int)((pax is null ? null : Number(pax, "uid")) ?? ParseNumber(h.Slice(108, 8), "uid"))),
            Gid = checked((int)((pax is null ? null : Number(pax, "gid")) ?? ParseNumber(h.Slice(116, 8), "gid"))),
            Size = size,
            ModificationTime = (pax is null ? null : Time(pax, "mtime")) ?? DateTimeOffset.FromUnixTimeSeconds(ParseNumber(h.Slice(136, 12), "mtime")),
            DeviceMajor = checked((int)ParseNumber(h.Slice(329, 8), "devmajor")),
            DeviceMinor = checked((int)ParseNumber(h.Slice(337, 8), "devminor")),
            Xattrs = xattrs ?? [],
            DataStream = _current,
        };
    }

    private void VerifyChecksum()
    {
        long expected = ParseNumber(_header.AsSpan(148, 8), "checksum");
        long sum = 0;
        for (int i = 0; i < Block; i++)
        {
            sum += i is >= 148 and < 156 ? (byte)' ' : _header[i];
        }

        if (sum != expected)
        {
            throw Invalid("header checksum mismatch (not a tar archive, or a corrupted one)");
        }
    }

    /// <summary>A numeric field: octal digits padded with spaces or NULs, or base-256 when the top bit is set (GNU).</summary>
    private static long ParseNumber(ReadOnlySpan<byte> field, string what)
    {
        if (field.Length > 0 && (field[0] & 0x80) != 0)
        {
            if (field[0] == 0xff)
            {
                throw Invalid($"negative {what} field");
            }

            long value = field[0] & 0x7f;
            foreach (byte b in field[1..])
            {
                if (value > (long.MaxValue >> 8))
                {
                    throw Invalid($"{what} field overflows");
                }

                value = (value << 8) | b;
            }

            return value;
        }

        long result = 0;
        int i = 0;
        while (i < field.Length && field[i] is (byte)' ' or 0)
        {
            i++;
        }

        for (; i < field.Length && field[i] is >= (byte)'0' and <= (byte)'7'; i++)
        {
            if (result > (long.MaxValue >> 3))
            {
                throw Invalid($"{what} field overflows");
            }

            result = (result << 3) | (uint)(field[i] - '0');
        }

        for (; i < field.Length; i++)
        {
            if (field[i] is not ((byte)' ' or 0))
            {
                throw Invalid($"{what} field is not an octal number");
            }
        }

        return result;
    }

    /// <summary>Pax records "<c>LEN KEY=VALUE\n</c>"; values stay bytes (xattrs are binary), keys are UTF-8.</summary>
    private static void ParsePax(byte[] data, Dictionary<string, byte[]> pax, List<KeyValuePair<string, byte[]>> xattrs)
    {
        int offset = 0;
        while (offset < data.Length)
        {
            ReadOnlySpan<byte> rest = data.AsSpan(offset);
            int space = rest.IndexOf((byte)' ');
            if (space <= 0 || space > 10
                || !int.TryParse(rest[..space], NumberStyles.None, CultureInfo.InvariantCulture, out int length)
                || length <= space + 1 || length > rest.Length || rest[length - 1] != (byte)'\n')
            {
                throw Invalid("malformed pax record");
            }

            ReadOnlySpan<byte> record = rest[(space + 1)..(length - 1)];
            int equals = record.IndexOf((byte)'=');
            if (equals <= 0)
            {
                throw Invalid("malformed pax record");
            }

            string key = Encoding.UTF8.GetString(record[..equals]);
            byte[] value = record[(equals + 1)..].ToArray();
            if (key.StartsWith(XattrPrefix, StringComparison.Ordinal) && key.Length > XattrPrefix.Length)
            {
                xattrs.RemoveAll(x => x.Key == key[XattrPrefix.Length..]);
                xattrs.Add(new(key[XattrPrefix.Length..], value));
            }
            else
            {
                pax[key] = value;
            }

            offset += length;
        }
    }

    private static string? Text(Dictionary<string, byte[]> pax, string key) =>
        pax.TryGetValue(key, out byte[]? value) ? Encoding.UTF8.GetString(value) : null;

    private static long? Number(Dictionary<string, byte[]> pax, string key) =>
        Text(pax, key) is not { } text ? null
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) ? value
        : throw Invalid($"pax {key} \"{text}\" is not a number");

    /// <summary>Pax times are decimal seconds with an optional fraction ("1614834367.123456789").</summary>
    private static DateTimeOffset? Time(Dictionary<string, byte[]> pax, string key)
    {
        if (Text(pax, key) is not { } text)
        {
            return null;
        }

        string[] parts = text.Split('.', 2);
        if (!long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long seconds))
        {
            throw Invalid($"pax {key} \"{text}\" is not a time");
        }

        long ticks = 0;
        if (parts.Length == 2 && parts[1].Length > 0)
        {
            string fraction = (parts[1] + "0000000")[..7];
            if (!long.TryParse(fraction, NumberStyles.None, CultureInfo.InvariantCulture, out ticks))
            {
                throw Invalid($"pax {key} \"{text}\" is not a time");
            }
        }

        return DateTimeOffset.UnixEpoch.AddSeconds(seconds).AddTicks(seconds < 0 || text.StartsWith('-') ? -ticks : ticks);
    }

    private static string CString(ReadOnlySpan<byte> field)
    {
        int end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }

    private async Task<byte[]> ReadExtendedAsync(long size, string what, CancellationToken cancellationToken)
    {
        if (size > MaxExtendedHeader)
        {
            throw Invalid($"{what} of {size} bytes exceeds the {MaxExtendedHeader}-byte limit");
        }

        byte[] data = new byte[size];
        await ReadExactlyAsync(data, cancellationToken);
        await SkipAsync(Padding(size), cancellationToken);
        return data;
    }

    private async Task<bool> ReadBlockAsync(CancellationToken cancellationToken)
    {
        int read = await _stream.ReadAtLeastAsync(_header, Block, throwOnEndOfStream: false, cancellationToken);
        return read == 0 ? false : read == Block ? true : throw Invalid("the archive ends inside a header");
    }

    private async Task ReadExactlyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (await _stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken) < buffer.Length)
        {
            throw Invalid("unexpected end of archive");
        }
    }

    private async Task SkipAsync(long count, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (count > 0)
            {
                int n = await _stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(count, buffer.Length)), cancellationToken);
                if (n == 0)
                {
                    throw Invalid("unexpected end of archive");
                }

                count -= n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static long Padding(long size) => (Block - (size % Block)) % Block;

    private static BerthException Invalid(string message) => Errors.InvalidArgument($"layer tar: {message}");

    /// <summary>The data of the current entry: a read-only window of the archive stream.</summary>
    private sealed class EntryDataStream(LayerTarReader owner, long length) : Stream
    {
        public long Remaining { get; private set; } = length;

        public override long Length { get; } = length;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Position
        {
            get => Length - Remaining;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (Remaining == 0)
            {
                return 0;
            }

            int n = owner._stream.Read(buffer[..(int)Math.Min(buffer.Length, Remaining)]);
            return Advance(n);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Remaining == 0)
            {
                return 0;
            }

            int n = await owner._stream.ReadAsync(buffer[..(int)Math.Min(buffer.Length, Remaining)], cancellationToken);
            return Advance(n);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Advance(int n)
        {
            if (n == 0)
            {
                throw Invalid("unexpected end of archive inside an entry's data");
            }

            Remaining -= n;
            return n;
        }
    }
}
