using Berth.Core.Errors;
using Berth.Linux;

namespace Berth.Runtime.Spec;

/// <summary>The RLIMIT_* names the spec uses for process.rlimits, indexed by their setrlimit(2) resource number.</summary>
public static class Rlimits
{
    // Index = resource number from asm-generic/resource.h (the same on every architecture we build for).
    private static readonly string[] Names =
    [
        "RLIMIT_CPU",
        "RLIMIT_FSIZE",
        "RLIMIT_DATA",
        "RLIMIT_STACK",
        "RLIMIT_CORE",
        "RLIMIT_RSS",
        "RLIMIT_NPROC",
        "RLIMIT_NOFILE",
        "RLIMIT_MEMLOCK",
        "RLIMIT_AS",
        "RLIMIT_LOCKS",
        "RLIMIT_SIGPENDING",
        "RLIMIT_MSGQUEUE",
        "RLIMIT_NICE",
        "RLIMIT_RTPRIO",
        "RLIMIT_RTTIME",
    ];

    public static IReadOnlyList<string> All { get; } = Array.AsReadOnly(Names);

    public static int Number(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        int number = Array.IndexOf(Names, type);
        return number >= 0 ? number : throw Errors.InvalidArgument($"unknown rlimit \"{type}\"");
    }

    /// <summary>The setrlimit(2) call for one spec entry.</summary>
    public static ResourceLimit ToResourceLimit(SpecRlimit rlimit)
    {
        ArgumentNullException.ThrowIfNull(rlimit);
        return new ResourceLimit(Number(rlimit.Type), rlimit.Soft, rlimit.Hard);
    }
}
