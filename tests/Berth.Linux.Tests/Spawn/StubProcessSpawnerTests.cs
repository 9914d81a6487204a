using Berth.Linux.Spawn;

namespace Berth.Linux.Tests.Spawn;

/// <summary>Plain spawns (no namespaces, so no root needed) through the real stub and kernel.</summary>
public sealed class StubProcessSpawnerTests
{
    [Fact]
    public void Spawned_process_runs_and_its_exit_code_is_reaped()
    {
        using SpawnedProcess process = StubProcessSpawner.Instance.Spawn(new SpawnOptions { Path = "/bin/sh", Args = ["sh", "-c", "exit 7"] });
        Assert.Equal(7, Processes.WaitForExit(process.Pid));
    }

    [Fact]
    public void Missing_executable_is_reported_with_its_errno_and_path()
    {
        var ex = Assert.Throws<LinuxException>(() =>
            StubProcessSpawner.Instance.Spawn(new SpawnOptions { Path = "/nonexistent/berth-test", Args = ["x"] }));
        Assert.Equal(Errno.ENOENT, ex.Errno);
        Assert.Contains("/nonexistent/berth-test", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Child_gets_the_environment_and_a_clean_signal_state()
    {
        string output = Path.Combine(Path.GetTempPath(), $"berth-spawn-{Guid.NewGuid():N}");
        try
        {
            using SpawnedProcess process = StubProcessSpawner.Instance.Spawn(new SpawnOptions
            {
                Path = "/bin/sh",
                Args = ["sh", "-c", $"echo \"$GREETING\" > {output}; grep -E '^Sig(Ign|Blk)' /proc/self/status >> {output}"],
                Environment = ["GREETING=hello"],
            });
            Assert.Equal(0, Processes.WaitForExit(process.Pid));
            string[] lines = File.ReadAllLines(output);
            Assert.Equal("hello", lines[0]);
            Assert.Contains("SigBlk:\t0000000000000000", lines);
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public void Before_exec_callback_runs_while_the_child_waits()
    {
        string marker = Path.Combine(Path.GetTempPath(), $"berth-spawn-{Guid.NewGuid():N}");
        try
        {
            int seen = 0;
            using SpawnedProcess process = StubProcessSpawner.Instance.Spawn(new SpawnOptions
            {
                Path = "/bin/sh",
                Args = ["sh", "-c", $"test -f {marker}"],
                BeforeExec = pid =>
                {
                    seen = pid;
                    File.WriteAllText(marker, "go");
                },
            });
            Assert.Equal(process.Pid, seen);
            Assert.Equal(0, Processes.WaitForExit(process.Pid));
        }
        finally
        {
            File.Delete(marker);
        }
    }

    [Fact]
    public void A_throwing_before_exec_callback_cancels_the_child()
    {
        Assert.Throws<InvalidOperationException>(() => StubProcessSpawner.Instance.Spawn(new SpawnOptions
        {
            Path = "/bin/true",
            Args = ["true"],
            BeforeExec = _ => throw new InvalidOperationException("no"),
        }));
    }

    /// <summary>
    /// The property the stub exists for (SPAWN.md §2.1): under heavy allocation, with GCs suspending threads
    /// all the time, no spawned child ever hangs.
    /// </summary>
    [Fact]
    public void Spawns_never_hang_while_other_threads_allocate()
    {
        using var stop = new CancellationTokenSource();
        var allocators = Enumerable.Range(0, 2).Select(_ => new Thread(() =>
        {
            var keep = new List<byte[]>();
            while (!stop.IsCancellationRequested)
            {
                keep.Add(new byte[1024]);
                if (keep.Count > 10_000)
                {
                    keep.Clear();
                }
            }
        })).ToArray();
        Array.ForEach(allocators, t => t.Start());
        try
        {
            for (int i = 0; i < 500; i++)
            {
                using SpawnedProcess process = StubProcessSpawner.Instance.Spawn(new SpawnOptions { Path = "/bin/true", Args = ["true"] });
                Assert.True(FileDescriptors.WaitReadable([process.PidFd], 5000) == 0, $"spawn {i} did not exit within 5 s");
                Assert.Equal(0, Processes.WaitForExit(process.Pid));
            }
        }
        finally
        {
            stop.Cancel();
            Array.ForEach(allocators, t => t.Join());
        }
    }
}
