using Berth.Linux;
using Berth.Linux.Spawn;

namespace Berth.Runtime.Lifecycle;

/// <summary>
/// The fds a new process gets as 0, 1 and 2 instead of the caller's own (a shim's pipes). The child dup2s them
/// before exec; the caller closes its copies of these ends once the process is started.
/// </summary>
public sealed record ProcessStdio(SafeFd Stdin, SafeFd Stdout, SafeFd Stderr)
{
    internal IEnumerable<SpawnOp> Operations() =>
        [SpawnOps.Dup2(Stdin.Fd, 0), SpawnOps.Dup2(Stdout.Fd, 1), SpawnOps.Dup2(Stderr.Fd, 2)];
}
