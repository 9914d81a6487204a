namespace Berth.Core.Mounts;

/// <summary>
/// A mount described as data: what mount(2) would be called with, minus the target. Snapshotters return these and
/// callers (the container service, tests, the runtime spec builder) decide where and whether to mount them.
/// </summary>
/// <param name="Type">Filesystem type: "overlay", "bind", "tmpfs".</param>
/// <param name="Source">The source: a directory for bind, "overlay" or "tmpfs" by convention otherwise.</param>
/// <param name="Options">fstab-style options: "ro", "rbind", "lowerdir=…", "upperdir=…", "workdir=…".</param>
public sealed record Mount(string Type, string Source, IReadOnlyList<string> Options);
