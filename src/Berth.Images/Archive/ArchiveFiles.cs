using System.Formats.Tar;
using Berth.Core.Content;
using Berth.Core.Errors;

namespace Berth.Images.Archive;

/// <summary>
/// An image archive unpacked into a scratch directory: regular files only, each name checked to stay inside it;
/// symlinks (old docker-archives link repeated layers) are kept as a name map and resolved within the archive.
/// </summary>
internal sealed class ArchiveFiles(string root)
{
    private const int MaxLinkHops = 16;
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);

    public static string BlobPath(Digest digest) => $"blobs/{digest.Algorithm}/{digest.Encoded}";

    public async Task ExtractAsync(Stream input, CancellationToken cancellationToken)
    {
        await using var reader = new TarReader(input, leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            string name = Normalize(entry.Name);
            if (name.Length == 0)
            {
                continue;
            }

            switch (entry.EntryType)
            {
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    string path = Path.Combine(root, name);
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write))
                    {
                        if (entry.DataStream is { } data)
                        {
                            await data.CopyToAsync(file, cancellationToken);
                        }
                    }

                    break;
                case TarEntryType.SymbolicLink:
                    string target = entry.LinkName.StartsWith('/') ? entry.LinkName : Path.Combine(Path.GetDirectoryName(name) ?? "", entry.LinkName);
                    _links[name] = Normalize(target);
                    break;
                case TarEntryType.HardLink:
                    _links[name] = Normalize(entry.LinkName);
                    break;
            }
        }
    }

    public bool Exists(string name) => File.Exists(Resolve(name));

    public byte[] ReadAllBytes(string name) => File.ReadAllBytes(Existing(name));

    public FileStream OpenRead(string name) => new(Existing(name), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);

    /// <summary>Reads a blob of the layout, verified against its digest.</summary>
    public byte[] ReadBlob(Digest digest)
    {
        byte[] bytes = ReadAllBytes(BlobPath(digest));
        Digest actual = Digest.Compute(bytes);
        return actual == digest ? bytes : throw Errors.FailedPrecondition($"invalid archive: blob {digest} holds content {actual}");
    }

    /// <summary>A layer file's descriptor: compression from its first bytes, digest and size from its content.</summary>
    public async Task<Descriptor> DescribeAsync(string name, CancellationToken cancellationToken)
    {
        await using FileStream file = OpenRead(name);
        byte[] head = new byte[4];
        int headLength = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        file.Position = 0;
        using var hasher = new DigestHasher(Digest.Sha256);
        byte[] buffer = new byte[1 << 17];
        int n;
        while ((n = await file.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hasher.Append(buffer.AsSpan(0, n));
        }

        return new Descriptor(ArchiveMediaTypes.LayerFor(head.AsSpan(0, headLength)), hasher.Current(), file.Length);
    }

    private string Existing(string name) =>
        Resolve(name) is { } path && File.Exists(path) ? path : throw Errors.InvalidArgument($"invalid archive: {name} is missing");

    private string Resolve(string name)
    {
        name = Normalize(name);
        for (int hop = 0; _links.TryGetValue(name, out string? target); hop++)
        {
            if (hop >= MaxLinkHops)
            {
                throw Errors.InvalidArgument($"invalid archive: too many links resolving {name}");
            }

            name = target;
        }

        return Path.Combine(root, name);
    }

    /// <summary>An entry name relative to the archive root; names that climb out of it are refused.</summary>
    private static string Normalize(string name)
    {
        var parts = new List<string>();
        foreach (string part in name.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    throw Errors.InvalidArgument($"invalid archive: entry \"{name}\" points outside the archive");
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        return string.Join('/', parts);
    }
}
