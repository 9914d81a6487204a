using System.Collections.Concurrent;
using Berth.Core.Errors;
using Berth.Core.Mounts;
using Berth.Core.Snapshots;
using Berth.Images.Pull;
using Berth.Linux;

namespace Berth.Daemon.Containers;

/// <summary>
/// The layer every container of an image shares between the image and its own upper layer: the empty files that its
/// /etc/hostname, /etc/hosts and /etc/resolv.conf bind mounts land on, as in Docker's "-init" layer, but made once per
/// image instead of once per container. Without it each container's start made them in its own upper layer: a
/// copy-up of /etc and three new files, each a new inode written to the data root and deleted again with the container.
/// Images whose /etc is not a directory get no such layer: their containers sit on the image itself, as before.
/// </summary>
internal sealed class MountTargetLayer(ISnapshotter snapshots, ISyscalls syscalls) : IDisposable
{
    /// <summary>The name of an image's layer: its chain ID with this suffix.</summary>
    public const string Suffix = "-init";

    private static readonly string[] Files = ["hostname", "hosts", "resolv.conf"];

    private readonly SemaphoreSlim _making = new(1, 1);

    // Images found unable to have the layer: their containers' creates do not try again (each try writes the table twice).
    private readonly ConcurrentDictionary<string, bool> _withoutLayer = new(StringComparer.Ordinal);

    public void Dispose() => _making.Dispose();

    /// <summary>The snapshot a container of the image with <paramref name="chainId"/> is prepared on: the image's
    /// mount-target layer (made now if it does not exist yet), or the image's own top layer.</summary>
    public async Task<string> ParentForAsync(string chainId, CancellationToken cancellationToken)
    {
        string name = chainId + Suffix;
        if (_withoutLayer.ContainsKey(chainId))
        {
            return chainId;
        }

        if (await snapshots.StatAsync(name, cancellationToken) is { Kind: SnapshotKind.Committed })
        {
            return name;
        }

        await _making.WaitAsync(cancellationToken);
        try
        {
            if (await snapshots.StatAsync(name, cancellationToken) is { Kind: SnapshotKind.Committed })
            {
                return name;
            }

            if (await MakeAsync(chainId, name, cancellationToken))
            {
                return name;
            }

            _withoutLayer[chainId] = true;
            return chainId;
        }
        finally
        {
            _making.Release();
        }
    }

    private async Task<bool> MakeAsync(string chainId, string name, CancellationToken cancellationToken)
    {
        string key = ImagePuller.ExtractKey(name);
        IReadOnlyList<Mount> mounts = await snapshots.PrepareAsync(key, chainId, null, cancellationToken);
        bool committed = false;
        try
        {
            if (!Fill(mounts))
            {
                return false;
            }

            await snapshots.CommitAsync(name, key, new Dictionary<string, string> { [SnapshotLabels.KeepWithParent] = "" }, cancellationToken);
            committed = true;
            return true;
        }
        finally
        {
            if (!committed)
            {
                await snapshots.RemoveAsync(key, CancellationToken.None);
            }
        }
    }

    /// <summary>Writes the targets into the new layer's directory; false when the image's /etc is not a directory.</summary>
    private bool Fill(IReadOnlyList<Mount> mounts)
    {
        (string layer, IReadOnlyList<string> below) = mounts switch
        {
            // Overlay: an empty upper over the image's layers, topmost first.
            [{ Type: "overlay" } overlay] => (Option(overlay, "upperdir="), (IReadOnlyList<string>)Option(overlay, "lowerdir=").Split(':')),
            // A copy of the image's tree (the native snapshotter), or the first layer of all.
            [{ Type: "bind" } bind] => (bind.Source, []),
            _ => throw Errors.Internal($"cannot make a mount-target layer on mounts of type {string.Join(", ", mounts.Select(m => m.Type))}"),
        };

        string etc = Path.Combine(layer, "etc");
        FileStatus? own = FileSystemOps.TryStat(etc);
        if (own is null)
        {
            // The image's /etc, as the topmost layer that has the name shows it; its owner and mode stay what they were.
            FileStatus? image = below.Select(dir => FileSystemOps.TryStat(Path.Combine(dir, "etc"))).FirstOrDefault(s => s is not null);
            if (image is { IsDirectory: false } && !IsWhiteout(image.Value))
            {
                return false;
            }

            int mode = image is { IsDirectory: true } dir ? dir.Permissions : 0x1ed; // 0755
            Errno made = syscalls.TryMakeDirectory(etc, mode);
            if (made != Errno.None)
            {
                throw new LinuxException(made, "mkdir", etc);
            }

            syscalls.Chmod(etc, mode);
            if (image is { IsDirectory: true } owned)
            {
                syscalls.Chown(etc, owned.Uid, owned.Gid);
            }
        }
        else if (!own.Value.IsDirectory)
        {
            return false;
        }

        foreach (string file in Files)
        {
            syscalls.Touch(Path.Combine(etc, file));
        }

        return true;
    }

    private static bool IsWhiteout(FileStatus status) => status.Type == FileStatus.CharDevice && status.Device == 0;

    private static string Option(Mount mount, string prefix) =>
        mount.Options.FirstOrDefault(o => o.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..]
        ?? throw Errors.Internal($"overlay mount without {prefix}");
}
