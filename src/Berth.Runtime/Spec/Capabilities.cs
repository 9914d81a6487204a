using Berth.Core.Errors;

namespace Berth.Runtime.Spec;

/// <summary>Linux capability names as the spec writes them (CAP_*), indexed by their kernel number.</summary>
public static class Capabilities
{
    // Index = capability number from linux/capability.h; append only, the kernel never renumbers.
    private static readonly string[] Names =
    [
        "CAP_CHOWN",
        "CAP_DAC_OVERRIDE",
        "CAP_DAC_READ_SEARCH",
        "CAP_FOWNER",
        "CAP_FSETID",
        "CAP_KILL",
        "CAP_SETGID",
        "CAP_SETUID",
        "CAP_SETPCAP",
        "CAP_LINUX_IMMUTABLE",
        "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST",
        "CAP_NET_ADMIN",
        "CAP_NET_RAW",
        "CAP_IPC_LOCK",
        "CAP_IPC_OWNER",
        "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO",
        "CAP_SYS_CHROOT",
        "CAP_SYS_PTRACE",
        "CAP_SYS_PACCT",
        "CAP_SYS_ADMIN",
        "CAP_SYS_BOOT",
        "CAP_SYS_NICE",
        "CAP_SYS_RESOURCE",
        "CAP_SYS_TIME",
        "CAP_SYS_TTY_CONFIG",
        "CAP_MKNOD",
        "CAP_LEASE",
        "CAP_AUDIT_WRITE",
        "CAP_AUDIT_CONTROL",
        "CAP_SETFCAP",
        "CAP_MAC_OVERRIDE",
        "CAP_MAC_ADMIN",
        "CAP_SYSLOG",
        "CAP_WAKE_ALARM",
        "CAP_BLOCK_SUSPEND",
        "CAP_AUDIT_READ",
        "CAP_PERFMON",
        "CAP_BPF",
        "CAP_CHECKPOINT_RESTORE",
    ];

    private static readonly Dictionary<string, int> Numbers = BuildNumbers();

    /// <summary>All known names, in kernel number order (so <c>All[n]</c> is capability n).</summary>
    public static IReadOnlyList<string> All { get; } = Array.AsReadOnly(Names);

    /// <summary>The highest capability number this table knows (CAP_LAST_CAP for the kernels we target).</summary>
    public static int Last => Names.Length - 1;

    /// <summary>The kernel number of a capability; names are exact (upper case, with the CAP_ prefix) as in the spec.</summary>
    public static int Number(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Numbers.TryGetValue(name, out int number)
            ? number
            : throw Errors.InvalidArgument($"unknown capability \"{name}\"");
    }

    public static string Name(int number) =>
        number >= 0 && number < Names.Length
            ? Names[number]
            : throw new ArgumentOutOfRangeException(nameof(number), number, "not a known capability number");

    /// <summary>
    /// The bit mask (bit n = capability n) of a spec capability set. <paramref name="field"/> names the set in
    /// errors (<c>process.capabilities.bounding: unknown capability "CAP_FOO"</c>); runc only warns about unknown
    /// names, but a typo that silently drops a capability is worse than a refusal.
    /// </summary>
    public static ulong ToMask(IEnumerable<string>? names, string field)
    {
        if (names is null)
        {
            return 0;
        }

        ulong mask = 0;
        foreach (string name in names)
        {
            if (name is null || !Numbers.TryGetValue(name, out int number))
            {
                throw Errors.InvalidArgument($"{field}: unknown capability \"{name}\"");
            }

            mask |= 1UL << number;
        }

        return mask;
    }

    private static Dictionary<string, int> BuildNumbers()
    {
        var numbers = new Dictionary<string, int>(Names.Length, StringComparer.Ordinal);
        for (int i = 0; i < Names.Length; i++)
        {
            numbers.Add(Names[i], i);
        }

        return numbers;
    }
}
