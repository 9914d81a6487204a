using Berth.Testing;

namespace Berth.Integration.Tests;

/// <summary>linux.namespaces entries with a path: the container joins an existing namespace instead of making one.</summary>
[Trait("Category", "Privileged")]
public sealed class NamespacePathTests
{
    [Fact]
    public async Task A_container_joins_a_network_namespace_by_path()
    {
        Requires.Root().Runtime().Busybox();
        string name = $"berth-test-{Guid.NewGuid():N}"[..20];
        await Ip("netns", "add", name);
        try
        {
            string path = $"/var/run/netns/{name}";
            using var bundle = BusyboxBundle.Create().WithShell("readlink /proc/self/ns/net");
            bundle.Edit(c =>
            {
                var namespaces = c["linux"]!["namespaces"]!.AsArray();
                foreach (var ns in namespaces.Where(n => (string?)n!["type"] == "network").ToList())
                {
                    namespaces.Remove(ns);
                }
            }).WithNamespace("network", path);
            using RuntimeRunner runner = RuntimeRunner.UnderTest();

            ProcessResult result = await runner.RunAsync(bundle, "netns-join");
            Assert.True(result.ExitCode == 0, result.ToString());
            string expected = $"net:[{await InodeAsync(path)}]";
            Assert.Equal(expected, result.Stdout.Trim());
        }
        finally
        {
            await Ip("netns", "delete", name);
        }
    }

    [Fact]
    public async Task A_container_joins_another_containers_pid_namespace_by_path()
    {
        Requires.Root().Runtime().Busybox();
        using RuntimeRunner runner = RuntimeRunner.UnderTest();
        using var first = BusyboxBundle.Create().WithArgs("sleep", "300");
        (await runner.CreateAsync(first, "pid-owner")).EnsureSuccess();
        (await runner.StartAsync("pid-owner")).EnsureSuccess();
        ContainerState owner = await runner.StateAsync("pid-owner");
        try
        {
            using var second = BusyboxBundle.Create().WithShell("cat /proc/1/cmdline | tr '\\0' ' '; echo; echo $$");
            second.Edit(c =>
            {
                var namespaces = c["linux"]!["namespaces"]!.AsArray();
                foreach (var ns in namespaces.Where(n => (string?)n!["type"] == "pid").ToList())
                {
                    namespaces.Remove(ns);
                }
            }).WithNamespace("pid", $"/proc/{owner.Pid}/ns/pid");

            ProcessResult result = await runner.RunAsync(second, "pid-joiner");
            Assert.True(result.ExitCode == 0, result.ToString());
            string[] lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("sleep 300", lines[0].Trim());
            Assert.NotEqual("1", lines[1].Trim());
        }
        finally
        {
            await runner.DeleteAsync("pid-owner", force: true);
        }
    }

    private static async Task<string> InodeAsync(string path) =>
        (await ChildProcess.RunAsync("stat", ["-L", "-c", "%i", path])).EnsureSuccess().Stdout.Trim();

    private static async Task Ip(params string[] args) => (await ChildProcess.RunAsync("ip", args)).EnsureSuccess();
}
