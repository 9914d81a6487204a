using Berth.Core.Errors;

namespace Berth.Runtime.Seccomp;

/// <summary>The runtime-spec SCMP_ACT_* and SCMP_CMP_* vocabulary and its mapping to SECCOMP_RET_* values.</summary>
internal static class SeccompActions
{
    /// <summary>The actions the compiler accepts (SCMP_ACT_NOTIFY needs a listener and is refused).</summary>
    public static readonly IReadOnlyList<string> Supported =
    [
        "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
        "SCMP_ACT_LOG", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP",
    ];

    public static readonly IReadOnlyList<string> Operators =
    [
        "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE",
    ];

    /// <summary>
    /// The SECCOMP_RET_* value for an action. ERRNO and TRACE carry <paramref name="errnoRet"/> in the data bits,
    /// EPERM when it is absent (runc's default); per the runtime-spec any other action given an errnoRet is an
    /// error.
    /// </summary>
    public static uint Return(string action, uint? errnoRet, string what)
    {
        if (errnoRet is { } e && e > Bpf.RetData)
        {
            throw Errors.InvalidArgument($"seccomp: {what}: errnoRet {e} does not fit the 16-bit SECCOMP_RET_DATA");
        }

        uint data = errnoRet ?? Bpf.EPERM;
        uint value = action switch
        {
            "SCMP_ACT_KILL" or "SCMP_ACT_KILL_THREAD" => Bpf.RetKillThread,
            "SCMP_ACT_KILL_PROCESS" => Bpf.RetKillProcess,
            "SCMP_ACT_TRAP" => Bpf.RetTrap,
            "SCMP_ACT_ERRNO" => Bpf.RetErrno | data,
            "SCMP_ACT_TRACE" => Bpf.RetTrace | data,
            "SCMP_ACT_LOG" => Bpf.RetLog,
            "SCMP_ACT_ALLOW" => Bpf.RetAllow,
            "SCMP_ACT_NOTIFY" => throw Errors.NotImplemented($"seccomp: {what}: SCMP_ACT_NOTIFY (user notification) is not supported"),
            "" => throw Errors.InvalidArgument($"seccomp: {what}: no action"),
            _ => throw Errors.InvalidArgument($"seccomp: {what}: unknown action \"{action}\""),
        };

        if (errnoRet is not null && action is not ("SCMP_ACT_ERRNO" or "SCMP_ACT_TRACE"))
        {
            throw Errors.InvalidArgument($"seccomp: {what}: errnoRet is only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not {action}");
        }

        return value;
    }
}
