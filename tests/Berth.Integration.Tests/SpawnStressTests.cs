using Berth.Linux;
using Berth.Linux.Spawn;
using Berth.Runtime.Lifecycle;
using Berth.Runtime.State;
using Berth.Testing;

namespace Berth.Integration.Tests;

/// <summary>
/// The guard on the spawn design (ARCHITECTURE.md §3): the runtime used in-process, as the daemon will use it,
/// creating containers from a process whose other threads allocate hard enough to keep the GC suspending
/// threads. A managed fork hangs in ~10 % of starts under this load; the stub must never hang, and nothing
/// may leak over thousands of cycles.
/// </summary>
[Trait("Category", "Privileged")]
public sealed class SpawnStressTests
{
    private const int Cycles = 2000;

    [Fact]
    public void Thousands_of_create_start_wait_delete_cycles_under_GC_pressure_never_hang_or_leak()
    {
        Requires.Root().BerthRuntime().Busybox();
        using var bundle = BusyboxBundle.Create().WithArgs("true");
        string root = Directory.CreateTempSubdirectory("berth-stress-").FullName;
        var runtime = new OciRuntime(new StateStore(root), StubProcessSpawner.Instance, OciRuntime.DefaultCgroupRoot, RuntimeRunner.RuntimeUnderTestPath!);
        var leaks = LeakCheck.Start();
        using var stop = new CancellationTokenSource();
        Thread[] allocators = [.. Enumerable.Range(0, 2).Select(_ => new Thread(() => Allocate(stop.Token)))];
        Array.ForEach(allocators, t => t.Start());
        int gen0Before = GC.CollectionCount(0);
        try
        {
            for (int i = 0; i < Cycles; i++)
            {
                string id = $"stress-{i}";
                using (StartedProcess started = runtime.Create(id, bundle.Path))
                {
                    SpawnedProcess process = started.Process;
                    runtime.Start(id);
                    Assert.True(FileDescriptors.WaitReadable([process.PidFd], 10_000) == 0, $"cycle {i}: container did not exit within 10 s (hang)");
                    Assert.Equal(0, Processes.WaitForExit(process.Pid));
                }

                runtime.Delete(id);
            }
        }
        finally
        {
            stop.Cancel();
            Array.ForEach(allocators, t => t.Join());
        }

        Assert.True(GC.CollectionCount(0) - gen0Before > Cycles / 10, "the allocators did not keep the GC busy; the test proves nothing");
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
        leaks.AssertNoLeaks();
        Directory.Delete(root);
    }

    private static void Allocate(CancellationToken stop)
    {
        var keep = new List<byte[]>();
        while (!stop.IsCancellationRequested)
        {
            keep.Add(new byte[512]);
            if (keep.Count > 20_000)
            {
                keep.Clear();
            }
        }
    }
}
