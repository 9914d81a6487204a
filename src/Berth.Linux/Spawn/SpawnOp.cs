namespace Berth.Linux.Spawn;

/// <summary>
/// One raw syscall the spawned child makes after joining namespaces and before exec (an exec into a running
/// container does its whole credential switch this way, in the stub, with no runtime in the child).
/// Build them with <see cref="SpawnOps"/>.
/// </summary>
public sealed record SpawnOp(string Description, long Number, IReadOnlyList<SpawnArg> Args, bool IgnoreFailure = false);
