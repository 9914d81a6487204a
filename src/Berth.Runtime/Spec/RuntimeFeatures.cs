using System.Text.Json;
using Berth.Runtime.Init;
using Berth.Runtime.Seccomp;

namespace Berth.Runtime.Spec;

/// <summary>
/// What `berth-runtime features` prints (runtime-spec features.md). Per the spec the content is fixed at build
/// time: it says what this runtime understands, not what the host kernel offers.
/// </summary>
public static class RuntimeFeatures
{
    public const string OciVersionMin = "1.0.0";

    public const string OciVersionMax = "1.2.0";

    public const string Version = "0.1.0";

    public static string ToJson() => JsonSerializer.Serialize(Create(), FeaturesJsonContext.Default.FeaturesDocument);

    internal static FeaturesDocument Create() => new()
    {
        OciVersionMin = OciVersionMin,
        OciVersionMax = OciVersionMax,
        Hooks = ["prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"],
        MountOptions = MountOptions.Known,
        Linux = new LinuxFeatures
        {
            Namespaces = NamespaceTypes.All,
            Capabilities = Capabilities.All,
            Cgroup = new CgroupFeatures { V1 = true, V2 = true, Systemd = false, SystemdUser = false },

            // Flipped on as each lands; claiming them early would make callers rely on them.
            Seccomp = new SeccompFeatures
            {
                Enabled = true,
                Actions = SeccompCompiler.SupportedActions,
                Operators = SeccompCompiler.SupportedOperators,
                Archs = SeccompCompiler.SupportedArchitectures,
                KnownFlags = SeccompCompiler.KnownFlags,
                SupportedFlags = SeccompCompiler.KnownFlags,
            },
            Apparmor = new EnabledFeature { Enabled = false },
            Selinux = new EnabledFeature { Enabled = false },
            IntelRdt = new EnabledFeature { Enabled = false },
            MountExtensions = new MountExtensionsFeatures { Idmap = new EnabledFeature { Enabled = false } },
        },
        Annotations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["io.berth.runtime.version"] = Version,
        },
    };
}
