using Berth.Runtime.Spec;

namespace Berth.Runtime.Tests.Spec;

/// <summary>Spec objects shared by the tests of the hand-written JSON that carries them.</summary>
internal static class SpecSamples
{
    /// <summary>A process with every property set, strings that need escaping and extreme numbers.</summary>
    public static SpecProcess FullProcess() => new()
    {
        Terminal = true,
        ConsoleSize = new SpecConsoleSize { Height = 40, Width = 120 },
        User = new SpecUser { Uid = 1000, Gid = 1000, Umask = 18, AdditionalGids = [1000, 1001], Username = "app\u2028\u00e9" },
        Args = ["sh", "-c", "echo \"h\u00e9\""],
        CommandLine = "sh -c 'echo <a&b>+\\\\'",
        Env = ["PATH=/usr/bin:/bin", "TERM=xterm", "EMPTY=", "CTRL=\t\n\r\b\f\u0001\u001f\u007f", "WIDE=\u4e2d\U0001F600"],
        Cwd = "/work dir/\u00fc",
        Capabilities = new SpecCapabilities
        {
            Bounding = ["CAP_CHOWN", "CAP_KILL"], Effective = ["CAP_CHOWN"], Inheritable = [], Permitted = ["CAP_CHOWN", "CAP_KILL"], Ambient = ["CAP_KILL"],
        },
        Rlimits = [new SpecRlimit { Type = "RLIMIT_NOFILE", Hard = 4096, Soft = 1024 }, new SpecRlimit { Type = "RLIMIT_CORE", Hard = ulong.MaxValue, Soft = 0 }],
        NoNewPrivileges = true,
        ApparmorProfile = "berth-default'+",
        OomScoreAdj = -500,
        SelinuxLabel = "system_u:system_r:container_t:s0",
    };
}
