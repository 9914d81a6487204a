using System.Buffers;
using Berth.Core.Content;
using Berth.Core.Errors;
using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Images.Layers;

/// <summary>
/// Streams an uncompressed layer tar into a snapshot's directory, hashing the tar on the same pass (its diff ID).
/// Whiteouts follow <see cref="WhiteoutMode"/>: overlay whiteouts (0/0 char devices, <c>trusted.overlay.opaque</c>)
/// in an upperdir, or deletions in a full tree. Every parent directory is opened with openat2 RESOLVE_IN_ROOT and
/// every final component is acted on with *at calls that do not follow it, so no entry can write, link or chown
/// outside the target. Entries carry owners, permission bits (setuid/setgid/sticky kept), mtimes, device numbers
/// and xattrs byte for byte (<see cref="LayerTarReader"/>).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "An injectable service.")]
public sealed class LayerApplier
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";
    private const string OverlayXattrPrefix = "trusted.overlay.";
    private const string OpaqueXattr = "trusted.overlay.opaque";
    private const int S_IFCHR = 0x2000, S_IFBLK = 0x6000, S_IFIFO = 0x1000;
    private const int WriteChunk = 1 << 20;

    /// <summary>Applies into an overlay upperdir (<see cref="WhiteoutMode.Overlay"/>).</summary>
    public Task<LayerApplyResult> ApplyAsync(Stream tar, string targetDirectory, CancellationToken cancellationToken = default) =>
        ApplyAsync(tar, targetDirectory, WhiteoutMode.Overlay, cancellationToken);

    /// <summary>Applies into what <see cref="SnapshotApplyTarget.From"/> read from a snapshotter's mounts.</summary>
    public Task<LayerApplyResult> ApplyAsync(Stream tar, SnapshotApplyTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        return ApplyCoreAsync(tar, target.Directory, target.Mode, target.LowerDirectories, target.LowerPending, cancellationToken);
    }

    /// <summary>Applies into <paramref name="targetDirectory"/> with the given whiteout handling.</summary>
    public Task<LayerApplyResult> ApplyAsync(
        Stream tar, string targetDirectory, WhiteoutMode mode, CancellationToken cancellationToken = default) =>
        ApplyCoreAsync(tar, targetDirectory, mode, [], lowerPending: false, cancellationToken);

    /// <summary>
    /// Finishes a layer applied with <see cref="SnapshotApplyTarget.LowerPending"/> once its snapshot has its parents:
    /// each of <paramref name="directories"/> (<see cref="LayerApplyResult.PendingDirectories"/>) still a directory takes
    /// owner, mode, xattrs and mtime from the newest of <paramref name="target"/>'s lowerdirs that has it, as it would
    /// have had the lowers been known during the apply.
    /// </summary>
    public void InheritPendingDirectories(SnapshotApplyTarget target, IReadOnlyList<string> directories)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(directories);
        if (directories.Count == 0 || target.LowerDirectories.Count == 0)
        {
            return;
        }

        using SafeFd root = FileSystemOps.OpenRoot(target.Directory);
        var state = new ApplyState(root, target.Mode, target.LowerDirectories, lowerPending: false);
        foreach (string directory in directories)
        {
            LayerPath path = LayerPath.Parse(directory);
            if (path.IsRoot || FileSystemOps.TryOpenDirectoryInRoot(root, path.Parent, out SafeFd? parent) != Errno.None)
            {
                continue; // replaced later in the layer
            }

            using (parent)
            {
                if (FileSystemOps.TryStatAt(parent!, path.Name) is { IsDirectory: true })
                {
                    state.InheritFromLower(parent!, path);
                }
            }
        }

        SetDirectoryTimes(state);
    }

    private static async Task<LayerApplyResult> ApplyCoreAsync(
        Stream tar, string targetDirectory, WhiteoutMode mode, IReadOnlyList<string> lowerDirectories, bool lowerPending,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tar);
        ArgumentNullException.ThrowIfNull(targetDirectory);

        using var hasher = new DigestHasher();
        await using var hashing = new HashingReadStream(tar, hasher);
        using SafeFd root = FileSystemOps.OpenRoot(targetDirectory);
        var state = new ApplyState(root, mode, lowerDirectories, lowerPending);
        var reader = new LayerTarReader(hashing);

        while (await reader.NextAsync(cancellationToken) is { } entry)
        {
            try
            {
                await ApplyEntryAsync(state, entry, cancellationToken);
            }
            catch (LinuxException ex)
            {
                throw Errors.Wrap(ex, $"applying layer entry \"{entry.Name}\"");
            }
        }

        // The diff ID covers the whole stream, including the end-of-archive blocks and any padding after them.
        await hashing.CopyToAsync(Stream.Null, cancellationToken);

        foreach (LayerPath path in state.OpaqueDirectories)
        {
            ClearBelow(state, path);
        }

        SetDirectoryTimes(state);
        return new LayerApplyResult(hasher.Current(), hasher.Length) { PendingDirectories = [.. state.Pending] };
    }

    /// <summary>Last, because creating anything in a directory changes its mtime.</summary>
    private static void SetDirectoryTimes(ApplyState state)
    {
        foreach ((LayerPath path, DateTimeOffset time) in state.DirectoryTimes)
        {
            using SafeFd parent = OpenParent(state.Root, path, path.ToString(), create: false);
            if (FileSystemOps.TryStatAt(parent, path.Name) is { IsDirectory: true })
            {
                FileSystemOps.SetTimesAt(parent, path.Name, time);
            }
        }
    }

    private static async Task ApplyEntryAsync(ApplyState state, LayerTarEntry entry, CancellationToken cancellationToken)
    {
        LayerPath path = LayerPath.Parse(entry.Name);
        if (path.IsRoot)
        {
            return;
        }

        using SafeFd parent = OpenParent(state.Root, path, entry.Name, create: true, state);
        string name = path.Name;

        if (name == OpaqueMarker)
        {
            LayerPath directory = new(path.Components[..^1]);
            if (state.Mode == WhiteoutMode.Overlay)
            {
                FileSystemOps.SetXattrAt(parent, ".", OpaqueXattr, "y"u8);
            }
            else
            {
                // Deferred to the end of the layer: entries of this layer in the directory stay, wherever they come.
                state.OpaqueDirectories.Add(directory);
            }

            return;
        }

        if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            string hidden = name[WhiteoutPrefix.Length..];
            if (hidden.Length == 0 || hidden == "." || hidden == "..")
            {
                throw Errors.InvalidArgument($"layer entry \"{entry.Name}\": invalid whiteout name");
            }

            RemoveExisting(parent, hidden, keepDirectory: false);
            if (state.Mode == WhiteoutMode.Overlay)
            {
                FileSystemOps.MakeNodeAt(parent, hidden, S_IFCHR, 0, 0);
            }

            return;
        }

        state.MarkApplied(path);
        if (state.Pending.Count > 0)
        {
            state.Pending.Remove(path.ToString()); // it has an entry of its own after all
        }

        bool isDirectory = entry.Type == TarTypeFlag.Directory;
        RemoveExisting(parent, name, keepDirectory: isDirectory);

        switch (entry.Type)
        {
            case TarTypeFlag.Directory:
                Errno errno = FileSystemOps.TryMakeDirectoryAt(parent, name, 0x1c0);
                if (errno is not (Errno.None or Errno.EEXIST))
                {
                    throw new LinuxException(errno, "mkdirat", name);
                }

                state.DirectoryTimes.Add((path, entry.ModificationTime));
                break;
            case var type when TarTypeFlag.IsRegular(type):
                await WriteFileAsync(parent, name, entry, cancellationToken);
                break;
            case TarTypeFlag.SymbolicLink:
                FileSystemOps.SymlinkAt(entry.LinkName, parent, name);
                break;
            case TarTypeFlag.HardLink:
                LinkInsideRoot(state.Root, parent, name, entry);
                return; // a hardlink shares its target's inode, metadata included
            case TarTypeFlag.CharacterDevice:
                FileSystemOps.MakeNodeAt(parent, name, S_IFCHR, (uint)entry.DeviceMajor, (uint)entry.DeviceMinor);
                break;
            case TarTypeFlag.BlockDevice:
                FileSystemOps.MakeNodeAt(parent, name, S_IFBLK, (uint)entry.DeviceMajor, (uint)entry.DeviceMinor);
                break;
            case TarTypeFlag.Fifo:
                FileSystemOps.MakeNodeAt(parent, name, S_IFIFO, 0, 0);
                break;
            default:
                throw Errors.InvalidArgument($"layer entry \"{entry.Name}\": unsupported tar entry type '{(char)entry.Type}'");
        }

        ApplyMetadata(parent, name, entry);
    }

    private static void ApplyMetadata(SafeFd parent, string name, LayerTarEntry entry)
    {
        // Order matters: chown clears setuid/setgid and security.capability, so mode and xattrs come after it.
        if (Environment.IsPrivilegedProcess)
        {
            FileSystemOps.ChownAt(parent, name, entry.Uid, entry.Gid);
        }

        if (entry.Type != TarTypeFlag.SymbolicLink)
        {
            FileSystemOps.ChmodAt(parent, name, entry.Mode);
        }

        foreach ((string attribute, byte[] value) in entry.Xattrs)
        {
            // Overlay's own attributes (opaque, redirect, origin…) from a tar could forge whiteouts or redirects.
            if (!attribute.StartsWith(OverlayXattrPrefix, StringComparison.Ordinal))
            {
                FileSystemOps.SetXattrAt(parent, name, attribute, value);
            }
        }

        if (entry.Type != TarTypeFlag.Directory)
        {
            FileSystemOps.SetTimesAt(parent, name, entry.ModificationTime);
        }
    }

    /// <summary>
    /// Reads are async (the tar may come straight off the network); writes are plain pwrite calls from this thread, in
    /// chunks of up to <see cref="WriteChunk"/>: a write to the page cache is quick, and async file writes would
    /// cost a thread-pool hop each.
    /// </summary>
    private static async Task WriteFileAsync(SafeFd parent, string name, LayerTarEntry entry, CancellationToken cancellationToken)
    {
        using SafeFileHandle handle = FileSystemOps.CreateFileAt(parent, name, 0x180);
        if (entry.Size == 0)
        {
            return;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(entry.Size, WriteChunk));
        try
        {
            long offset = 0;
            int read;
            while ((read = await entry.DataStream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken)) > 0)
            {
                RandomAccess.Write(handle, buffer.AsSpan(0, read), offset);
                offset += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void LinkInsideRoot(SafeFd root, SafeFd parent, string name, LayerTarEntry entry)
    {
        LayerPath target = LayerPath.Parse(entry.LinkName, "hardlink target");
        if (target.IsRoot)
        {
            throw Errors.InvalidArgument($"layer entry \"{entry.Name}\": hardlink to the layer root");
        }

        using SafeFd targetParent = OpenParent(root, target, entry.Name, create: false);
        FileStatus? status = FileSystemOps.TryStatAt(targetParent, target.Name);
        if (status is null)
        {
            throw Errors.InvalidArgument(
                $"layer entry \"{entry.Name}\": hardlink target \"{entry.LinkName}\" does not exist inside the layer");
        }

        if (status.Value.IsDirectory)
        {
            throw Errors.InvalidArgument($"layer entry \"{entry.Name}\": hardlink target \"{entry.LinkName}\" is a directory");
        }

        FileSystemOps.LinkAt(targetParent, target.Name, parent, name);
    }

    /// <summary>
    /// Native opaque directory: deletes whatever lies below <paramref name="directory"/> that this layer did not put
    /// there, descending into the directories this layer kept.
    /// </summary>
    private static void ClearBelow(ApplyState state, LayerPath directory)
    {
        if (FileSystemOps.TryOpenDirectoryInRoot(state.Root, directory.ToString(), out SafeFd? fd) != Errno.None)
        {
            return; // replaced by a non-directory later in the layer
        }

        using (fd)
        {
            foreach (string entry in Directory.EnumerateFileSystemEntries(FileSystemOps.ProcPath(fd!, ".")))
            {
                string name = Path.GetFileName(entry);
                LayerPath child = new([.. directory.Components, name]);
                if (!state.Applied.Contains(child.ToString()))
                {
                    RemoveExisting(fd!, name, keepDirectory: false);
                }
                else if (FileSystemOps.TryStatAt(fd!, name) is { IsDirectory: true })
                {
                    ClearBelow(state, child);
                }
            }
        }
    }

    /// <summary>Removes whatever <paramref name="name"/> is, unless it is a directory and one is wanted (Docker keeps it).</summary>
    private static void RemoveExisting(SafeFd parent, string name, bool keepDirectory)
    {
        if (FileSystemOps.TryStatAt(parent, name) is not { } existing)
        {
            return;
        }

        if (existing.IsDirectory)
        {
            if (!keepDirectory)
            {
                Directory.Delete(FileSystemOps.ProcPath(parent, name), recursive: true);
            }

            return;
        }

        Errno errno = FileSystemOps.TryUnlinkAt(parent, name, isDirectory: false);
        if (errno is not (Errno.None or Errno.ENOENT))
        {
            throw new LinuxException(errno, "unlinkat", name);
        }
    }

    /// <summary>
    /// Opens the directory holding <paramref name="path"/>, resolved inside <paramref name="root"/>; missing parents
    /// are created (0755) one component at a time, each resolved inside the root again.
    /// </summary>
    private static SafeFd OpenParent(SafeFd root, LayerPath path, string entryName, bool create, ApplyState? state = null)
    {
        string[] parents = path.Components[..^1];
        string parentPath = string.Join('/', parents);
        Errno errno = FileSystemOps.TryOpenDirectoryInRoot(root, parentPath, out SafeFd? parent);
        if (errno == Errno.None)
        {
            return parent!;
        }

        if (errno == Errno.ENOENT && create && parents.Length > 0)
        {
            using SafeFd grandparent = OpenParent(root, new LayerPath(parents), entryName, create: true, state);
            Errno made = FileSystemOps.TryMakeDirectoryAt(grandparent, parents[^1], 0x1ed);
            if (made is not (Errno.None or Errno.EEXIST))
            {
                throw new LinuxException(made, "mkdirat", parentPath);
            }

            if (made == Errno.None && state is not null)
            {
                state.InheritFromLower(grandparent, new LayerPath(parents));
            }

            errno = FileSystemOps.TryOpenDirectoryInRoot(root, parentPath, out parent);
            if (errno == Errno.None)
            {
                return parent!;
            }
        }

        throw Errors.InvalidArgument(
            $"layer entry \"{entryName}\": parent \"{parentPath}\" is not a directory inside the layer ({errno})");
    }

    /// <summary>What one application accumulates across entries.</summary>
    private sealed class ApplyState(SafeFd root, WhiteoutMode mode, IReadOnlyList<string> lowerDirectories, bool lowerPending)
    {
        public SafeFd Root { get; } = root;

        public WhiteoutMode Mode { get; } = mode;

        public List<(LayerPath Path, DateTimeOffset Time)> DirectoryTimes { get; } = [];

        public List<LayerPath> OpaqueDirectories { get; } = [];

        /// <summary>Paths this layer created, with their ancestors (native mode: what an opaque marker keeps).</summary>
        public HashSet<string> Applied { get; } = new(StringComparer.Ordinal);

        /// <summary>With the lowers not known yet: directories created for lack of an entry of their own, by path.</summary>
        public HashSet<string> Pending { get; } = new(StringComparer.Ordinal);

        /// <summary>
        /// Gives a directory just created in the upperdir for lack of its own entry the metadata of the same directory
        /// in the newest lowerdir that has it (resolved inside that lowerdir), so the merged view does not change.
        /// </summary>
        public void InheritFromLower(SafeFd parent, LayerPath directory)
        {
            if (lowerPending)
            {
                Pending.Add(directory.ToString());
                return;
            }

            foreach (string lower in lowerDirectories)
            {
                using SafeFd lowerRoot = FileSystemOps.OpenRoot(lower);
                if (FileSystemOps.TryOpenDirectoryInRoot(lowerRoot, directory.ToString(), out SafeFd? found) != Errno.None)
                {
                    continue;
                }

                using (found)
                {
                    FileStatus status = FileSystemOps.TryStatAt(found!, ".")!.Value;
                    if (Environment.IsPrivilegedProcess)
                    {
                        FileSystemOps.ChownAt(parent, directory.Name, status.Uid, status.Gid);
                    }

                    FileSystemOps.ChmodAt(parent, directory.Name, status.Permissions);
                    string source = FileSystemOps.ProcPath(found!, ".");
                    foreach (string attribute in FileSystemOps.ListXattrs(source))
                    {
                        if (!attribute.StartsWith(OverlayXattrPrefix, StringComparison.Ordinal) && FileSystemOps.GetXattr(source, attribute) is { } value)
                        {
                            FileSystemOps.SetXattrAt(parent, directory.Name, attribute, value);
                        }
                    }

                    DirectoryTimes.Add((directory, DateTimeOffset.FromUnixTimeSeconds(status.MtimeSeconds).AddTicks(status.MtimeNanoseconds / 100)));
                }

                return;
            }
        }

        public void MarkApplied(LayerPath path)
        {
            if (Mode != WhiteoutMode.Native)
            {
                return;
            }

            for (int i = path.Components.Length; i > 0 && Applied.Add(string.Join('/', path.Components[..i])); i--)
            {
            }
        }
    }
}
