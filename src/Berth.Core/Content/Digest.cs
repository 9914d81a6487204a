using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Berth.Core.Errors;

namespace Berth.Core.Content;

/// <summary>
/// A content address, <c>algorithm:encoded</c> (OCI image-spec descriptor.md). <c>sha256</c> and <c>sha512</c> are
/// recognised; blobs Berth writes are addressed by <c>sha256</c>. The default value is "no digest" (<see cref="IsEmpty"/>).
/// </summary>
public readonly record struct Digest
{
    public const string Sha256 = "sha256";
    public const string Sha512 = "sha512";

    private readonly string? _value;
    private readonly int _separator;

    private Digest(string value, int separator)
    {
        _value = value;
        _separator = separator;
    }

    /// <summary>The algorithm part, such as <c>sha256</c>.</summary>
    public string Algorithm => _value is null ? "" : _value[.._separator];

    /// <summary>The lowercase hex part.</summary>
    public string Encoded => _value is null ? "" : _value[(_separator + 1)..];

    public bool IsEmpty => _value is null;

    /// <summary>Parses a digest the way go-digest's <c>Parse</c> validates it, with its error wording.</summary>
    public static Digest Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryParse(value, out Digest digest, out string? error) ? digest : throw Errors.Errors.InvalidArgument(error);
    }

    public static bool TryParse([NotNullWhen(true)] string? value, out Digest digest) => TryParse(value, out digest, out _);

    /// <summary>Parses <paramref name="value"/>; on failure <paramref name="error"/> holds go-digest's message.</summary>
    public static bool TryParse([NotNullWhen(true)] string? value, out Digest digest, [NotNullWhen(false)] out string? error)
    {
        digest = default;
        int colon = value is null ? -1 : value.IndexOf(':', StringComparison.Ordinal);
        if (value is null || colon <= 0 || colon == value.Length - 1)
        {
            error = "invalid checksum digest format";
            return false;
        }

        int? hexLength = HexLength(value.AsSpan(0, colon));
        if (hexLength is null)
        {
            // go-digest: a well-formed digest of an algorithm it does not know is "unsupported", anything else "invalid".
            error = DigestGrammar.IsWellFormed(value) ? "unsupported digest algorithm" : "invalid checksum digest format";
            return false;
        }

        ReadOnlySpan<char> encoded = value.AsSpan(colon + 1);
        if (encoded.Length != hexLength)
        {
            error = "invalid checksum digest length";
            return false;
        }

        foreach (char c in encoded)
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                error = "invalid checksum digest format";
                return false;
            }
        }

        digest = new Digest(value, colon);
        error = null;
        return true;
    }

    /// <summary>The sha256 digest of <paramref name="data"/>.</summary>
    public static Digest Compute(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, hash);
        return FromHash(Sha256, hash);
    }

    /// <summary>Builds a digest from a raw hash value of <paramref name="algorithm"/>.</summary>
    public static Digest FromHash(string algorithm, ReadOnlySpan<byte> hash)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        if (HexLength(algorithm) != hash.Length * 2)
        {
            throw new ArgumentException($"a {algorithm} hash cannot be {hash.Length} bytes long", nameof(hash));
        }

        string value = algorithm + ":" + Convert.ToHexStringLower(hash);
        return new Digest(value, algorithm.Length);
    }

    public override string ToString() => _value ?? "";

    /// <summary>The hex length an algorithm's digests have, or null when the algorithm is not recognised.</summary>
    internal static int? HexLength(ReadOnlySpan<char> algorithm) => algorithm switch
    {
        Sha256 => 64,
        Sha512 => 128,
        _ => null,
    };
}
