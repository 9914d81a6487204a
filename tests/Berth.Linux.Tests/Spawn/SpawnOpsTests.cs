using Berth.Linux.Spawn;

namespace Berth.Linux.Tests.Spawn;

/// <summary>The op list the stub runs in the child before exec, against the real kernel (no root needed).</summary>
public sealed class SpawnOpsTests
{
    [Fact]
    public void Ops_run_in_the_child_before_exec()
    {
        string output = Path.Combine(Path.GetTempPath(), $"berth-ops-{Guid.NewGuid():N}");
        try
        {
            using SpawnedProcess process = StubProcessSpawner.Instance.Spawn(new SpawnOptions
            {
                Path = "/bin/sh",
                Args = ["sh", "-c", $"pwd > {output}; umask >> {output}"],
                Operations = [SpawnOps.ChangeDirectory("/tmp"), SpawnOps.Umask(0x3f)],
            });
            Assert.Equal(0, Processes.WaitForExit(process.Pid));
            Assert.Equal(["/tmp", "0077"], File.ReadAllLines(output));
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public void A_failing_op_stops_the_child_and_is_named_in_the_error()
    {
        var ex = Assert.Throws<LinuxException>(() => StubProcessSpawner.Instance.Spawn(new SpawnOptions
        {
            Path = "/bin/true",
            Args = ["true"],
            Operations = [SpawnOps.Umask(0x12), SpawnOps.ChangeDirectory("/nonexistent/berth")],
        }));
        Assert.Equal(Errno.ENOENT, ex.Errno);
        Assert.Contains("chdir /nonexistent/berth", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_op_marked_ignorable_does_not_stop_the_child()
    {
        using SpawnedProcess process = StubProcessSpawner.Instance.Spawn(new SpawnOptions
        {
            Path = "/bin/true",
            Args = ["true"],
            Operations = [SpawnOps.RaiseAmbient(63)],
        });
        Assert.Equal(0, Processes.WaitForExit(process.Pid));
    }
}
