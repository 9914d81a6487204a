using System.Text.Json.Nodes;
using Berth.Testing;

namespace Berth.Integration.Tests;

/// <summary>User namespaces: root inside is an unprivileged id outside, the same under runc and berth-runtime.</summary>
[Trait("Category", "Privileged")]
public sealed class UserNamespaceTests
{
    private const int HostBase = 200000;

    [Fact]
    public async Task Root_inside_is_the_mapped_host_id_for_files_and_processes()
    {
        Requires.Root().Runtime().Runc().Busybox();
        foreach (RuntimeRunner runner in new[] { RuntimeRunner.UnderTest(), RuntimeRunner.Runc() })
        {
            using (runner)
            {
                using var bundle = BusyboxBundle.Create().WithSharedDir();
                WithUserNamespace(bundle, uidMappings: [(0, HostBase, 65536)]);
                bundle.WithShell("id -u; id -g; cat /proc/self/uid_map; touch /shared/made-inside");
                await ChownAsync(bundle.RootfsPath, HostBase);
                var leaks = LeakCheck.Start(runner);

                ProcessResult result = await runner.RunAsync(bundle, "userns");
                string output = result.Stdout;
                Assert.True(result.ExitCode == 0, $"{runner.Name}: {result}\n{output}");
                string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                Assert.Equal("0", lines[0]);
                Assert.Equal("0", lines[1]);
                Assert.Equal(["0", HostBase.ToString(System.Globalization.CultureInfo.InvariantCulture), "65536"], lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries));

                var made = new FileInfo(Path.Combine(bundle.SharedDir, "made-inside"));
                Assert.True(made.Exists, $"{runner.Name}: the file was not created");
                Assert.Equal(HostBase, await OwnerOfAsync(made.FullName));
                leaks.AssertNoLeaks();
            }
        }
    }

    [Fact]
    public async Task Mapped_root_cannot_touch_host_files_it_does_not_own()
    {
        Requires.Root().Runtime().Busybox();
        using RuntimeRunner runner = RuntimeRunner.UnderTest();
        using var bundle = BusyboxBundle.Create().WithSharedDir();
        string secret = Path.Combine(bundle.SharedDir, "host-secret");
        File.WriteAllText(secret, "host");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        WithUserNamespace(bundle, uidMappings: [(0, HostBase, 65536)]);
        bundle.WithShell("cat /shared/host-secret; echo x > /shared/host-secret; echo done");
        await ChownAsync(bundle.RootfsPath, HostBase);

        ProcessResult result = await runner.RunAsync(bundle, "userns-deny");
        Assert.Contains("Permission denied", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("host", File.ReadAllText(secret));
    }

    /// <summary>Adds a user namespace with the given uid mappings (gids mapped the same way).</summary>
    internal static BusyboxBundle WithUserNamespace(BusyboxBundle bundle, (long Container, long Host, long Size)[] uidMappings)
    {
        bundle.WithNamespace("user");
        JsonArray Maps() => new([.. uidMappings.Select(m => (JsonNode)new JsonObject
        {
            ["containerID"] = m.Container,
            ["hostID"] = m.Host,
            ["size"] = m.Size,
        })]);
        bundle.Linux["uidMappings"] = Maps();
        bundle.Linux["gidMappings"] = Maps();
        // A user namespace cannot own the host's sysfs view of devices it cannot see: keep the bundle simple.
        return bundle;
    }

    /// <summary>The mapped root must be able to reach and own the rootfs (as with runc).</summary>
    private static async Task ChownAsync(string root, int id)
    {
        File.SetUnixFileMode(Path.GetDirectoryName(root)!, (UnixFileMode)0b111_101_101);
        (await ChildProcess.RunAsync("chown", ["-R", "-h", $"{id}:{id}", root])).EnsureSuccess();
    }

    private static async Task<int> OwnerOfAsync(string path) =>
        int.Parse((await ChildProcess.RunAsync("stat", ["-c", "%u", path])).EnsureSuccess().Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
