using Berth.Testing.Engines;

namespace Berth.Testing.Registry;

/// <summary>
/// What the registry client's loopback tests need: Debian's docker-registry, skopeo, umoci and busybox-static — not
/// root. Skipped with a reason unless BERTH_TEST_PRIVILEGED=1; with it set, anything missing fails the test.
/// </summary>
public static class RegistryRequirements
{
    public static Requirements LoopbackRegistry()
    {
        if (!Requires.PrivilegedRun)
        {
            Assert.Skip($"starts a real docker-registry on loopback; set {Requires.PrivilegedVariable}=1");
        }

        return Requires.Busybox().LocalRegistry();
    }
}
