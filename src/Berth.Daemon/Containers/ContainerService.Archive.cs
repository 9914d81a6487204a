using System.Formats.Tar;
using Berth.Api.Containers;
using Berth.Core.Errors;
using Berth.Images.Layers;
using Berth.Runtime.Init;

namespace Berth.Daemon.Containers;

internal sealed partial class ContainerService
{
    // Go's os.FileMode type bits, which docker cp's stat header carries.
    private const uint GoModeDir = 1u << 31, GoModeSymlink = 1u << 27, GoModeDevice = 1u << 26, GoModeNamedPipe = 1u << 25,
        GoModeSocket = 1u << 24, GoModeSetuid = 1u << 23, GoModeSetgid = 1u << 22, GoModeCharDevice = 1u << 21, GoModeSticky = 1u << 20;

    public Task<ContainerPathStat> StatPathAsync(string name, string path, CancellationToken cancellationToken) =>
        WithRootfsAsync(Find(name), rootfs => Task.FromResult(Stat(ResolveInRootfs(rootfs, path), path)), cancellationToken);

    public Task GetArchiveAsync(string name, string path, Stream output, CancellationToken cancellationToken) =>
        WithRootfsAsync(Find(name), async rootfs =>
        {
            string host = ResolveInRootfs(rootfs, path);
            _ = Stat(host, path);
            string baseName = Path.GetFileName(path.TrimEnd('/')) is { Length: > 0 } b ? b : "/";
            await using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
            await WriteTreeAsync(writer, host, baseName == "/" ? "." : baseName, cancellationToken);
            return 0;
        }, cancellationToken);

    public Task PutArchiveAsync(string name, string path, Stream input, Backends.PutArchiveOptions options, CancellationToken cancellationToken) =>
        WithRootfsAsync(Find(name), async rootfs =>
        {
            ContainerEntry entry = Find(name);
            if (entry.Record.HostConfig.ReadonlyRootfs)
                throw Errors.FailedPrecondition("container rootfs is marked read-only");
            string host = ResolveInRootfs(rootfs, path);
            if (!Directory.Exists(host))
            {
                throw File.Exists(host)
                    ? Errors.InvalidArgument("extraction point is not a directory")
                    : Errors.NotFound($"Could not find the file {path} in container {name}");
            }
            // The applier resolves every entry inside the target directory (openat2 RESOLVE_IN_ROOT), so a tar
            // cannot write through a symlink or ".." out of the container.
            await new LayerApplier().ApplyAsync(input, host, WhiteoutMode.Native, cancellationToken);
            return 0;
        }, cancellationToken);

    /// <summary>Runs <paramref name="action"/> with the container's rootfs mounted: the live one when it runs, a
    /// temporary mount (held under the container's lock, so it cannot start meanwhile) otherwise.</summary>
    private async Task<T> WithRootfsAsync<T>(ContainerEntry entry, Func<string, Task<T>> action, CancellationToken cancellationToken)
    {
        string rootfs = _paths.Rootfs(entry.Record.Id);
        if (entry.IsRunning)
            return await action(rootfs);
        await entry.Lock.WaitAsync(cancellationToken);
        try
        {
            _mounter.Mount(await _snapshots.MountsAsync(entry.Record.Id, cancellationToken), rootfs);
            try
            {
                return await action(rootfs);
            }
            finally
            {
                _mounter.Unmount(rootfs);
            }
        }
        finally
        {
            entry.Lock.Release();
        }
    }

    /// <summary>The parent resolved inside the rootfs (symlinks followed within it), the last element not followed,
    /// as docker cp treats a path.</summary>
    private string ResolveInRootfs(string rootfs, string path)
    {
        if (!path.StartsWith('/'))
            path = "/" + path;
        string trimmed = path.Length > 1 ? path.TrimEnd('/') : path;
        if (trimmed == "/" || trimmed.EndsWith("/.", StringComparison.Ordinal))
            return SecurePath.Join(rootfs, trimmed, _syscalls.ReadLink);
        string parent = SecurePath.Join(rootfs, Path.GetDirectoryName(trimmed) ?? "/", _syscalls.ReadLink);
        return Path.Combine(parent, Path.GetFileName(trimmed));
    }

    private static ContainerPathStat Stat(string host, string requested)
    {
        var info = new FileInfo(host);
        if (!info.Exists && !Directory.Exists(host) && info.LinkTarget is null)
            throw Errors.NotFound($"Could not find the file {requested} in container");
        Linux.FileStatus status = Linux.FileSystemOps.Stat(host);
        uint mode = (uint)status.Permissions & 0x1FF;
        mode |= status.Type switch
        {
            Linux.FileStatus.Directory => GoModeDir,
            Linux.FileStatus.Symlink => GoModeSymlink,
            Linux.FileStatus.CharDevice => GoModeDevice | GoModeCharDevice,
            Linux.FileStatus.BlockDevice => GoModeDevice,
            Linux.FileStatus.Fifo => GoModeNamedPipe,
            Linux.FileStatus.Socket => GoModeSocket,
            _ => 0u,
        };
        if ((status.Permissions & 0x800) != 0)
            mode |= GoModeSetuid;
        if ((status.Permissions & 0x400) != 0)
            mode |= GoModeSetgid;
        if ((status.Permissions & 0x200) != 0)
            mode |= GoModeSticky;
        return new ContainerPathStat
        {
            Name = Path.GetFileName(requested.TrimEnd('/')) is { Length: > 0 } name ? name : "/",
            Size = status.Size,
            Mode = mode,
            Mtime = DateTimeOffset.FromUnixTimeSeconds(status.MtimeSeconds).AddTicks(status.MtimeNanoseconds / 100),
            LinkTarget = info.LinkTarget ?? "",
        };
    }

    /// <summary>Writes <paramref name="host"/> and, for a directory, everything below it, never following symlinks.</summary>
    private static async Task WriteTreeAsync(TarWriter writer, string host, string entryName, CancellationToken cancellationToken)
    {
        await writer.WriteEntryAsync(host, entryName, cancellationToken);
        var info = new FileInfo(host);
        if (info.LinkTarget is not null || !Directory.Exists(host))
            return;
        foreach (string child in Directory.EnumerateFileSystemEntries(host).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await WriteTreeAsync(writer, child, entryName + "/" + Path.GetFileName(child), cancellationToken);
        }
    }
}
