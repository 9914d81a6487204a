using System.Security.Cryptography;

namespace Berth.Core.Content;

/// <summary>
/// Hashes a stream of bytes as it passes (a download, an ingest being resumed) and yields its <see cref="Digest"/>
/// at any point without finishing the hash, so one pass both writes and verifies.
/// </summary>
public sealed class DigestHasher : IDisposable
{
    private readonly IncrementalHash _hash;

    public DigestHasher(string algorithm = Digest.Sha256)
    {
        Algorithm = algorithm switch
        {
            Digest.Sha256 => Digest.Sha256,
            Digest.Sha512 => Digest.Sha512,
            _ => throw Errors.Errors.InvalidArgument($"unsupported digest algorithm {algorithm}"),
        };
        _hash = IncrementalHash.CreateHash(Algorithm == Digest.Sha256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA512);
    }

    public string Algorithm { get; }

    /// <summary>How many bytes have been appended.</summary>
    public long Length { get; private set; }

    public void Append(ReadOnlySpan<byte> data)
    {
        _hash.AppendData(data);
        Length += data.Length;
    }

    /// <summary>The digest of everything appended so far; appending may continue afterwards.</summary>
    public Digest Current()
    {
        Span<byte> hash = stackalloc byte[SHA512.HashSizeInBytes];
        int written = _hash.GetCurrentHash(hash);
        return Digest.FromHash(Algorithm, hash[..written]);
    }

    /// <summary>Forgets everything appended, as when an ingest restarts from offset zero.</summary>
    public void Reset()
    {
        _hash.GetHashAndReset();
        Length = 0;
    }

    public void Dispose() => _hash.Dispose();
}
