using Berth.Runtime.Spec;

namespace Berth.Runtime.Seccomp;

/// <summary>One resolved rule: the SECCOMP_RET_* value to return when every condition holds (conditions are
/// ANDed; none means the rule always matches).</summary>
internal sealed record SeccompRule(uint Return, IReadOnlyList<SpecSyscallArg> Conditions);
