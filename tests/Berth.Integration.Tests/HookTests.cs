using System.Text.Json.Nodes;
using Berth.Testing;

namespace Berth.Integration.Tests;

/// <summary>All six hook points fire in the spec's order with the state on stdin, under runc and berth-runtime alike.</summary>
[Trait("Category", "Privileged")]
public sealed class HookTests
{
    [Fact]
    public async Task Hooks_run_in_order_with_the_container_state_on_stdin()
    {
        Requires.Root().Runtime().Runc().Busybox();
        foreach (RuntimeRunner runner in new[] { RuntimeRunner.UnderTest(), RuntimeRunner.Runc() })
        {
            using (runner)
            {
                using var bundle = BusyboxBundle.Create().WithSharedDir().WithArgs("true");
                string log = Path.Combine(bundle.SharedDir, "hooks.log");
                // Host-side hooks use the host's sh and the host path; startContainer runs inside the container.
                JsonObject Host(string stage) => new()
                {
                    ["path"] = "/bin/sh",
                    ["args"] = new JsonArray("sh", "-c", $"read -r state; echo \"{stage} $(echo \"$state\" | grep -o '\"status\":\"[a-z]*\"')\" >> {log}"),
                };
                bundle.Config["hooks"] = new JsonObject
                {
                    ["prestart"] = new JsonArray(Host("prestart")),
                    ["createRuntime"] = new JsonArray(Host("createRuntime")),
                    ["createContainer"] = new JsonArray(Host("createContainer")),
                    ["startContainer"] = new JsonArray(new JsonObject
                    {
                        ["path"] = "/bin/sh",
                        ["args"] = new JsonArray("sh", "-c", "echo startContainer >> /shared/hooks.log"),
                    }),
                    ["poststart"] = new JsonArray(Host("poststart")),
                    ["poststop"] = new JsonArray(Host("poststop")),
                };

                ProcessResult result = await runner.RunAsync(bundle, "hooks");
                Assert.True(result.ExitCode == 0, $"{runner.Name}: {result}");
                string[] stages = [.. File.ReadAllLines(log).Select(l => l.Split(' ')[0])];
                string[] expected = ["prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"];
                if (runner.IsRunc)
                {
                    // runc releases start before its startContainer hooks run, so those two may swap there.
                    Assert.Equal(expected.Order(), stages.Order());
                }
                else
                {
                    Assert.Equal(expected, stages);
                }
                Assert.Contains(File.ReadAllLines(log), l => l.StartsWith("createRuntime \"status\":\"creating\"", StringComparison.Ordinal));
            }
        }
    }
}
