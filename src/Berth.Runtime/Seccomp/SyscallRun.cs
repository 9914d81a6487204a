namespace Berth.Runtime.Seccomp;

/// <summary>Syscall numbers <see cref="First"/> to <see cref="Last"/> of one ABI, all decided by <see cref="Rules"/>.</summary>
internal sealed record SyscallRun(uint First, uint Last, List<SeccompRule> Rules);
