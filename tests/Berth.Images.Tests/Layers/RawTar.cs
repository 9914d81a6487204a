using System.Globalization;
using System.Text;

namespace Berth.Images.Tests.Layers;

/// <summary>
/// Writes tar blocks by hand, for what System.Formats.Tar cannot produce: binary pax values, GNU long names,
/// base-256 numbers, and deliberately hostile headers (sizes that lie).
/// </summary>
internal sealed class RawTar
{
    private readonly List<byte> _buffer = [];

    /// <summary>A pax extended header (typeflag 'x') whose records are written byte for byte.</summary>
    public RawTar Pax(params (string Key, byte[] Value)[] records)
    {
        using var body = new MemoryStream();
        foreach ((string key, byte[] value) in records)
        {
            byte[] k = Encoding.UTF8.GetBytes(key);
            int rest = 1 + k.Length + 1 + value.Length + 1;
            int length = rest + 1;
            while (length.ToString(CultureInfo.InvariantCulture).Length + rest != length)
            {
                length++;
            }

            body.Write(Encoding.ASCII.GetBytes(length.ToString(CultureInfo.InvariantCulture) + " "));
            body.Write(k);
            body.WriteByte((byte)'=');
            body.Write(value);
            body.WriteByte((byte)'\n');
        }

        return Entry("PaxHeaders/x", (byte)'x', body.ToArray());
    }

    /// <summary>A header claiming <paramref name="claimedSize"/> bytes of data, followed by whatever is actually given.</summary>
    public RawTar Header(string name, byte type, long claimedSize, int mode = 0x1a4, bool base256Size = false, int uid = 0, int gid = 0)
    {
        byte[] h = new byte[512];
        Encoding.UTF8.GetBytes(name).AsSpan(0, Math.Min(100, Encoding.UTF8.GetByteCount(name))).CopyTo(h);
        Octal(h.AsSpan(100, 8), mode);
        Octal(h.AsSpan(108, 8), uid);
        Octal(h.AsSpan(116, 8), gid);
        if (base256Size)
        {
            h[124] = 0x80;
            for (int i = 0; i < 8; i++)
            {
                h[135 - i] = (byte)(claimedSize >> (8 * i));
            }
        }
        else
        {
            Octal(h.AsSpan(124, 12), claimedSize);
        }

        Octal(h.AsSpan(136, 12), 1614834367);
        h[156] = type;
        "ustar\0"u8.CopyTo(h.AsSpan(257));
        "00"u8.CopyTo(h.AsSpan(263));
        "        "u8.CopyTo(h.AsSpan(148));
        int sum = h.Sum(b => b);
        Octal(h.AsSpan(148, 7), sum);
        _buffer.AddRange(h);
        return this;
    }

    public RawTar Entry(string name, byte type, byte[] data, int mode = 0x1a4, bool base256Size = false)
    {
        Header(name, type, data.Length, mode, base256Size);
        return Data(data);
    }

    /// <summary>Raw bytes padded to the next block.</summary>
    public RawTar Data(byte[] data)
    {
        _buffer.AddRange(data);
        _buffer.AddRange(new byte[(512 - (data.Length % 512)) % 512]);
        return this;
    }

    public byte[] Build(bool endMarker = true)
    {
        if (endMarker)
        {
            _buffer.AddRange(new byte[1024]);
        }

        return [.. _buffer];
    }

    private static void Octal(Span<byte> field, long value)
    {
        string text = Convert.ToString(value, 8).PadLeft(field.Length - 1, '0');
        Encoding.ASCII.GetBytes(text).CopyTo(field);
        field[^1] = 0;
    }
}
