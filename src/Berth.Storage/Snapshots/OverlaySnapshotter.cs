using Berth.Core.Errors;
using Berth.Core.Mounts;
using Berth.Core.Snapshots;
using Berth.Linux;

namespace Berth.Storage.Snapshots;

/// <summary>
/// Snapshots as overlayfs layers (containerd's overlay snapshotter). A snapshot without parent is a plain directory,
/// returned as an rbind mount; one with parents is an overlay whose <c>lowerdir</c> lists the parents' <c>fs</c>
/// dirs newest first, with this snapshot's <c>fs</c> as <c>upperdir</c> and its <c>work</c> as <c>workdir</c>.
/// A view is read-only: a read-only bind of its single parent, or an overlay of lowerdirs only.
/// Layers are applied into the upperdir with overlay whiteouts (see <c>SnapshotApplyTarget</c> in Berth.Images).
/// An upper dir does not depend on its lowers, so an active snapshot prepared without parent can be rebased onto one
/// (<see cref="IRebasingSnapshotter"/>): a pull unpacks all layers of an image at once.
/// </summary>
/// <remarks>
/// mount(2) takes the options as one page (4096 bytes including the NUL). Paths here are absolute, so with a root
/// like /var/lib/berth/snapshotters/overlay a chain of roughly 80 layers fits (Docker caps images at 125). A longer
/// chain is refused up front with FailedPrecondition naming the length, rather than failing later at mount time.
/// </remarks>
public sealed class OverlaySnapshotter : FileSnapshotter, IRebasingSnapshotter
{
    /// <summary>The most option bytes one mount(2) call accepts: a page, less the terminating NUL.</summary>
    public const int MaxMountOptionsLength = 4095;

    public OverlaySnapshotter(string root)
        : base(root)
    {
    }

    /// <summary>
    /// Whether an overlay with an upperdir can be mounted on <paramref name="root"/>'s filesystem: tries a real mount in
    /// a temporary directory under it and removes everything again. False when not privileged.
    /// </summary>
    public static bool IsSupported(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        if (!Environment.IsPrivilegedProcess)
        {
            return false;
        }

        Directory.CreateDirectory(root);
        string probe = Path.Combine(Path.GetFullPath(root), $".overlay-probe-{Guid.NewGuid():N}");
        string lower = Path.Combine(probe, "lower"), upper = Path.Combine(probe, "upper"), work = Path.Combine(probe, "work"),
            merged = Path.Combine(probe, "merged");
        try
        {
            foreach (string dir in new[] { lower, upper, work, merged })
            {
                Directory.CreateDirectory(dir);
            }

            LinuxSyscalls.Instance.Mount("overlay", merged, "overlay", MountFlags.None, $"lowerdir={lower},upperdir={upper},workdir={work}");
            LinuxSyscalls.Instance.TryUnmount(merged, UnmountFlags.Detach);
            return true;
        }
        catch (LinuxException)
        {
            return false;
        }
        finally
        {
            Directory.Delete(probe, recursive: true);
        }
    }

    public Task<IReadOnlyList<Mount>> RebaseAsync(string key, string parent, CancellationToken cancellationToken = default) =>
        RebaseCoreAsync(key, parent, cancellationToken);

    // Also what a rebase calls: the fs dir stays as it is, the workdir comes with the first parent.
    private protected override void CreateLayer(SnapshotRecord record, IReadOnlyList<SnapshotRecord> parents, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(FsPath(record.Id));
        if (record.Kind == Core.Snapshots.SnapshotKind.Active && parents.Count > 0)
        {
            Directory.CreateDirectory(WorkPath(record.Id));
        }
    }

    private protected override void OnCommitted(SnapshotRecord record)
    {
        // The workdir only serves a mounted upper; a committed layer is only ever a lowerdir.
        string work = WorkPath(record.Id);
        if (Directory.Exists(work))
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private protected override IReadOnlyList<Mount> Mounts(SnapshotRecord record, IReadOnlyList<SnapshotRecord> parents)
    {
        bool view = record.Kind == Core.Snapshots.SnapshotKind.View;
        if (parents.Count == 0)
        {
            return [Bind(FsPath(record.Id), view)];
        }

        if (view && parents.Count == 1)
        {
            return [Bind(FsPath(parents[0].Id), readOnly: true)];
        }

        var options = new List<string> { "lowerdir=" + string.Join(':', parents.Select(p => FsPath(p.Id))) };
        if (!view)
        {
            options.Add("upperdir=" + FsPath(record.Id));
            options.Add("workdir=" + WorkPath(record.Id));
        }

        int length = options.Sum(o => o.Length) + options.Count - 1;
        if (length > MaxMountOptionsLength)
        {
            throw Errors.FailedPrecondition(
                $"snapshot {record.Name}: {parents.Count} parent layers need {length} bytes of overlay mount options, more than the {MaxMountOptionsLength} one mount call takes");
        }

        return [new Mount("overlay", "overlay", options)];
    }

    private static Mount Bind(string source, bool readOnly) => new("bind", source, ["rbind", readOnly ? "ro" : "rw"]);
}
