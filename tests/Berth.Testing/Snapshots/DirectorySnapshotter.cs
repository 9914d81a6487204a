using System.Globalization;
using System.Runtime.CompilerServices;
using Berth.Core.Errors;
using Berth.Core.Mounts;
using Berth.Core.Snapshots;

namespace Berth.Testing.Snapshots;

/// <summary>
/// A stand-in <see cref="ISnapshotter"/> for tests of the layers above it: every snapshot is a plain directory
/// <c>ROOT/NAME/fs</c> returned as one <c>bind</c> mount, its state in <c>ROOT/NAME/info</c> (so another process
/// sees it). With <paramref name="copyParent"/> a prepared snapshot starts as a copy of its parent's tree (<c>cp -a</c>,
/// native-snapshotter style: the tree is the whole image); without, it starts empty (an overlay upper dir).
/// </summary>
public sealed class DirectorySnapshotter(string root, bool copyParent = true) : ISnapshotter
{
    private readonly Lock _gate = new();

    public string Root { get; } = Directory.CreateDirectory(root).FullName;

    /// <summary>The directory holding snapshot <paramref name="name"/>'s files.</summary>
    public string PathOf(string name) => Path.Combine(Root, name, "fs");

    public Task<IReadOnlyList<Mount>> PrepareAsync(string key, string? parent, IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default) =>
        CreateAsync(key, parent, SnapshotKind.Active);

    public Task<IReadOnlyList<Mount>> ViewAsync(string key, string? parent, IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default) =>
        CreateAsync(key, parent, SnapshotKind.View);

    public Task<IReadOnlyList<Mount>> MountsAsync(string key, CancellationToken cancellationToken = default)
    {
        SnapshotInfo info = Read(key) ?? throw Errors.NotFound($"snapshot {key} does not exist");
        return Task.FromResult<IReadOnlyList<Mount>>(MountsOf(key, info.Kind));
    }

    public Task CommitAsync(string name, string key, IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            SnapshotInfo info = Read(key) ?? throw Errors.NotFound($"snapshot {key} does not exist");
            if (info.Kind != SnapshotKind.Active)
            {
                throw Errors.FailedPrecondition($"snapshot {key} is not active");
            }

            if (Directory.Exists(Path.Combine(Root, name)))
            {
                throw Errors.AlreadyExists($"snapshot {name} already exists");
            }

            Write(key, info with { Name = name, Kind = SnapshotKind.Committed, Labels = labels ?? info.Labels });
            Directory.Move(Path.Combine(Root, key), Path.Combine(Root, name));
        }

        return Task.CompletedTask;
    }

    public async Task RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _ = Read(key) ?? throw Errors.NotFound($"snapshot {key} does not exist");
            if (All().Any(s => s.Parent == key))
            {
                throw Errors.FailedPrecondition($"snapshot {key} has children");
            }

            // Out of the namespace first, so a half-deleted tree is never seen as a snapshot.
            string doomed = Path.Combine(Root, ".removing-" + Guid.NewGuid().ToString("N"));
            Directory.Move(Path.Combine(Root, key), doomed);
            key = doomed;
        }

        await Task.Run(() => Directory.Delete(key, recursive: true), CancellationToken.None);
    }

    public Task<SnapshotInfo?> StatAsync(string key, CancellationToken cancellationToken = default) => Task.FromResult(Read(key));

    public async IAsyncEnumerable<SnapshotInfo> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        foreach (SnapshotInfo info in All())
        {
            yield return info;
        }
    }

    public Task<SnapshotUsage> UsageAsync(string key, CancellationToken cancellationToken = default)
    {
        _ = Read(key) ?? throw Errors.NotFound($"snapshot {key} does not exist");
        long size = 0, inodes = 0;
        foreach (FileSystemInfo entry in new DirectoryInfo(PathOf(key)).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            inodes++;
            if (entry is FileInfo { LinkTarget: null } file)
            {
                size += file.Length;
            }
        }

        return Task.FromResult(new SnapshotUsage(size, inodes));
    }

    private async Task<IReadOnlyList<Mount>> CreateAsync(string key, string? parent, SnapshotKind kind)
    {
        if (key.Contains('/', StringComparison.Ordinal) || key.StartsWith('.'))
        {
            throw Errors.InvalidArgument($"invalid snapshot key {key}");
        }

        string building = Path.Combine(Root, ".new-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(building, "fs"));
        try
        {
            if (parent is not null)
            {
                if (Read(parent) is not { Kind: SnapshotKind.Committed })
                {
                    throw Errors.NotFound($"parent snapshot {parent} does not exist");
                }

                if (copyParent)
                {
                    (await ChildProcess.RunAsync("cp", ["-a", PathOf(parent) + "/.", Path.Combine(building, "fs")])).EnsureSuccess();
                }
            }

            File.WriteAllText(Path.Combine(building, "info"), Format(new SnapshotInfo(key, parent, kind, DateTimeOffset.UtcNow)));
            lock (_gate)
            {
                if (Directory.Exists(Path.Combine(Root, key)))
                {
                    throw Errors.AlreadyExists($"snapshot {key} already exists");
                }

                Directory.Move(building, Path.Combine(Root, key));
            }
        }
        catch
        {
            if (Directory.Exists(building))
            {
                Directory.Delete(building, recursive: true);
            }

            throw;
        }

        return MountsOf(key, kind);
    }

    private List<Mount> MountsOf(string key, SnapshotKind kind) =>
        [new Mount("bind", PathOf(key), kind == SnapshotKind.View ? ["rbind", "ro"] : ["rbind", "rw"])];

    private List<SnapshotInfo> All() =>
        Directory.EnumerateDirectories(Root)
            .Select(Path.GetFileName)
            .Where(n => n is not null && !n.StartsWith('.'))
            .Select(n => Read(n!))
            .OfType<SnapshotInfo>()
            .ToList();

    private SnapshotInfo? Read(string key)
    {
        string path = Path.Combine(Root, key, "info");
        if (key.Contains('/', StringComparison.Ordinal) || !File.Exists(path))
        {
            return null;
        }

        string[] lines = File.ReadAllLines(path);
        return new SnapshotInfo(
            key, lines[1].Length == 0 ? null : lines[1], Enum.Parse<SnapshotKind>(lines[0]),
            DateTimeOffset.Parse(lines[2], CultureInfo.InvariantCulture))
        {
            Labels = lines.Length > 3 && lines[3].Length > 0
                ? lines[3].Split('\t').Select(l => l.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal)
                : new Dictionary<string, string>(),
        };
    }

    private void Write(string key, SnapshotInfo info) => File.WriteAllText(Path.Combine(Root, key, "info"), Format(info));

    private static string Format(SnapshotInfo info) =>
        $"{info.Kind}\n{info.Parent}\n{info.Created.ToString("O", CultureInfo.InvariantCulture)}\n{string.Join('\t', info.Labels.Select(l => l.Key + "=" + l.Value))}\n";
}
