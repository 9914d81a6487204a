namespace Berth.Testing;

/// <summary>
/// Declares what a privileged test needs. Without <c>BERTH_TEST_PRIVILEGED=1</c> every requirement skips the test
/// (a developer laptop). With it set (CI, as root) a missing requirement FAILS the test, naming what is missing:
/// nothing may skip silently where the tests are supposed to run.
/// </summary>
/// <example><code>Requires.Root().Runc().CgroupV1("memory");</code></example>
public static class Requires
{
    public const string PrivilegedVariable = "BERTH_TEST_PRIVILEGED";

    public static bool PrivilegedRun => Environment.GetEnvironmentVariable(PrivilegedVariable) == "1";

    public static Requirements Root() => Requirements.Instance.Root();

    public static Requirements Runc() => Requirements.Instance.Runc();

    public static Requirements Runtime() => Requirements.Instance.Runtime();

    public static Requirements Overlayfs() => Requirements.Instance.Overlayfs();

    public static Requirements Tmux() => Requirements.Instance.Tmux();

    public static Requirements Busybox() => Requirements.Instance.Busybox();

    public static Requirements CgroupV1(string controller) => Requirements.Instance.CgroupV1(controller);

    /// <summary>
    /// For assertions that only hold for berth-runtime (its error messages, OOM reporting). Skips with a reason when
    /// BERTH_RUNTIME names runc or crun: that happens only while validating the harness against runc, never in CI.
    /// </summary>
    public static Requirements BerthRuntime() => Requirements.Instance.BerthRuntime();

    /// <summary>Skips (unprivileged run) or fails (privileged run) with <paramref name="missing"/>.</summary>
    internal static void Missing(string missing)
    {
        if (!PrivilegedRun)
        {
            Assert.Skip($"needs {missing}; set {PrivilegedVariable}=1 and run as root");
        }

        Assert.Fail($"{PrivilegedVariable}=1 but a requirement is missing: {missing}");
    }
}
