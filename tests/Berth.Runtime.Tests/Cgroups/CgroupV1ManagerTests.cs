using Berth.Core.Errors;
using Berth.Runtime.Cgroups;
using Berth.Testing.Cgroups;

namespace Berth.Runtime.Tests.Cgroups;

public sealed class CgroupV1ManagerTests : IDisposable
{
    private static readonly string[] Hierarchies = ["blkio", "cpu,cpuacct", "cpuset", "devices", "freezer", "memory", "pids"];

    private readonly FakeCgroupTree _tree = FakeCgroupTree.CreateV1();

    public void Dispose() => _tree.Dispose();

    private ICgroupManager CreateCreated(string path = "/berth/c1")
    {
        ICgroupManager manager = _tree.CreateManager(path);
        manager.Create();
        return manager;
    }

    [Fact]
    public void Factory_picks_v1_on_a_hybrid_host() =>
        Assert.IsType<CgroupV1Manager>(_tree.CreateManager("/berth/c1"));

    [Fact]
    public void Create_makes_the_directory_once_per_hierarchy_and_skips_named_and_unified()
    {
        CreateCreated();

        foreach (string hierarchy in Hierarchies)
        {
            Assert.True(_tree.DirectoryExists($"{hierarchy}/berth/c1"), hierarchy);
        }

        Assert.False(_tree.DirectoryExists("systemd/berth"));
        Assert.False(_tree.DirectoryExists("unified/berth"));
    }

    [Fact]
    public void Co_mounted_controllers_are_one_hierarchy()
    {
        var hierarchies = V1Hierarchies.Discover(_tree.Root);

        Assert.Equal(Hierarchies, hierarchies.Roots.Select(Path.GetFileName));
        Assert.Equal(hierarchies.Find("cpu"), hierarchies.Find("cpuacct"));
        Assert.EndsWith("cpu,cpuacct", hierarchies.Find("cpu"), StringComparison.Ordinal);
        Assert.Null(hierarchies.Find("systemd"));
        Assert.Null(hierarchies.Find("hugetlb"));
    }

    [Fact]
    public void Create_copies_cpuset_cpus_and_mems_into_every_new_level()
    {
        CreateCreated("/berth/c1");

        Assert.Equal("0-3", _tree.Read("cpuset/berth/cpuset.cpus"));
        Assert.Equal("0", _tree.Read("cpuset/berth/cpuset.mems"));
        Assert.Equal("0-3", _tree.Read("cpuset/berth/c1/cpuset.cpus"));
        Assert.Equal("0", _tree.Read("cpuset/berth/c1/cpuset.mems"));
    }

    [Fact]
    public void Create_keeps_a_cpuset_level_that_already_has_values()
    {
        _tree.CreateManager("/berth/c0").Create();
        _tree.Write("cpuset/berth/cpuset.cpus", "1");

        CreateCreated("/berth/c1");

        Assert.Equal("1", _tree.Read("cpuset/berth/cpuset.cpus"));
        Assert.Equal("1", _tree.Read("cpuset/berth/c1/cpuset.cpus"));
    }

    [Fact]
    public void Apply_writes_every_v1_file()
    {
        ICgroupManager manager = CreateCreated();

        manager.Apply(new CgroupResources
        {
            MemoryLimit = 100 << 20,
            MemoryReservation = 50 << 20,
            MemorySwap = 200 << 20,
            MemorySwappiness = 10,
            DisableOomKiller = true,
            CpuShares = 512,
            CpuQuota = 50000,
            CpuPeriod = 100000,
            CpusetCpus = "0-1",
            CpusetMems = "0",
            PidsLimit = 64,
        });

        Assert.Equal("104857600", _tree.Read("memory/berth/c1/memory.limit_in_bytes"));
        Assert.Equal("52428800", _tree.Read("memory/berth/c1/memory.soft_limit_in_bytes"));
        Assert.Equal("209715200", _tree.Read("memory/berth/c1/memory.memsw.limit_in_bytes"));
        Assert.Equal("10", _tree.Read("memory/berth/c1/memory.swappiness"));
        Assert.Equal("1", _tree.Read("memory/berth/c1/memory.oom_control"));
        Assert.Equal("512", _tree.Read("cpu,cpuacct/berth/c1/cpu.shares"));
        Assert.Equal("50000", _tree.Read("cpu/berth/c1/cpu.cfs_quota_us"));
        Assert.Equal("100000", _tree.Read("cpu/berth/c1/cpu.cfs_period_us"));
        Assert.Equal("0-1", _tree.Read("cpuset/berth/c1/cpuset.cpus"));
        Assert.Equal("0", _tree.Read("cpuset/berth/c1/cpuset.mems"));
        Assert.Equal("64", _tree.Read("pids/berth/c1/pids.max"));
    }

    [Fact]
    public void Null_and_zero_values_leave_files_alone()
    {
        ICgroupManager manager = CreateCreated();

        manager.Apply(new CgroupResources { CpuShares = 0, CpuQuota = 0, MemoryLimit = 0 });

        Assert.Equal("1024", _tree.Read("cpu/berth/c1/cpu.shares"));
        Assert.Equal("-1", _tree.Read("cpu/berth/c1/cpu.cfs_quota_us"));
        Assert.Equal("9223372036854771712", _tree.Read("memory/berth/c1/memory.limit_in_bytes"));
        Assert.Equal("max", _tree.Read("pids/berth/c1/pids.max"));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void Unlimited_pids_write_max(long limit)
    {
        ICgroupManager manager = CreateCreated();
        _tree.Write("pids/berth/c1/pids.max", "10");

        manager.Apply(new CgroupResources { PidsLimit = limit });

        Assert.Equal("max", _tree.Read("pids/berth/c1/pids.max"));
    }

    [Fact]
    public void Unlimited_memory_without_swap_makes_memsw_unlimited_too()
    {
        ICgroupManager manager = CreateCreated();

        manager.Apply(new CgroupResources { MemoryLimit = -1 });

        Assert.Equal("-1", _tree.Read("memory/berth/c1/memory.limit_in_bytes"));
        Assert.Equal("-1", _tree.Read("memory/berth/c1/memory.memsw.limit_in_bytes"));
    }

    [Fact]
    public void Swap_is_skipped_without_swap_accounting()
    {
        using var tree = FakeCgroupTree.CreateV1(swapAccounting: false);
        ICgroupManager manager = tree.CreateManager("/berth/c1");
        manager.Create();

        manager.Apply(new CgroupResources { MemoryLimit = 1000, MemorySwap = 2000 });

        Assert.Equal("1000", tree.Read("memory/berth/c1/memory.limit_in_bytes"));
        Assert.False(tree.FileExists("memory/berth/c1/memory.memsw.limit_in_bytes"));
    }

    [Theory]
    [InlineData(2000L, 500L, true)]    // raising: memsw must grow before the limit can
    [InlineData(4000L, 1000L, true)]
    [InlineData(-1L, 1000L, true)]     // unlimited memsw always fits
    [InlineData(600L, 3000L, false)]    // lowering: the limit must shrink before memsw can
    [InlineData(600L, 600L, false)]
    public void Memsw_is_written_first_only_when_it_grows_past_the_current_limit(long swap, long current, bool swapFirst) =>
        Assert.Equal(swapFirst, CgroupV1Manager.WriteMemswFirst(swap, current));

    [Fact]
    public void Raising_and_lowering_memory_with_swap_ends_with_both_values()
    {
        ICgroupManager manager = CreateCreated();

        manager.Apply(new CgroupResources { MemoryLimit = 3000, MemorySwap = 4000 });
        manager.Apply(new CgroupResources { MemoryLimit = 500, MemorySwap = 600 });

        Assert.Equal("500", _tree.Read("memory/berth/c1/memory.limit_in_bytes"));
        Assert.Equal("600", _tree.Read("memory/berth/c1/memory.memsw.limit_in_bytes"));
    }

    [Fact]
    public void Swappiness_above_100_is_rejected()
    {
        ICgroupManager manager = CreateCreated();
        Assert.Equal(ErrorKind.InvalidArgument,
            Assert.Throws<BerthException>(() => manager.Apply(new CgroupResources { MemorySwappiness = 101 })).Kind);
    }

    [Fact]
    public void Unified_entries_are_rejected_on_v1()
    {
        ICgroupManager manager = CreateCreated();
        Assert.Throws<BerthException>(() =>
            manager.Apply(new CgroupResources { Unified = new Dictionary<string, string> { ["memory.high"] = "1" } }));
    }

    [Fact]
    public void AddProcess_writes_the_pid_in_every_hierarchy()
    {
        ICgroupManager manager = CreateCreated();

        manager.AddProcess(4242);

        foreach (string hierarchy in Hierarchies)
        {
            Assert.Equal("4242", _tree.Read($"{hierarchy}/berth/c1/cgroup.procs"));
        }
    }

    [Fact]
    public void The_files_a_thread_moves_itself_through_are_the_tasks_files_of_every_hierarchy_once()
    {
        ICgroupManager manager = CreateCreated();

        Assert.Equal(Hierarchies.Select(h => Path.Join(_tree.Root, h, "berth/c1/tasks")), manager.SelfMoveFiles());
    }

    [Fact]
    public void GetPids_reads_the_cgroup_and_its_descendants()
    {
        ICgroupManager manager = CreateCreated();
        _tree.Write("pids/berth/c1/cgroup.procs", "10\n11\n");
        _tree.CreateManager("/berth/c1/inner").Create();
        _tree.Write("pids/berth/c1/inner/cgroup.procs", "12\n");

        Assert.Equal([10, 11, 12], manager.GetPids().Order());
    }

    [Fact]
    public void Freeze_and_thaw_write_freezer_state()
    {
        ICgroupManager manager = CreateCreated();

        manager.Freeze();
        Assert.Equal("FROZEN", _tree.Read("freezer/berth/c1/freezer.state"));
        Assert.Equal(FreezerState.Frozen, manager.GetFreezerState());

        manager.Thaw();
        Assert.Equal("THAWED", _tree.Read("freezer/berth/c1/freezer.state"));
        Assert.Equal(FreezerState.Thawed, manager.GetFreezerState());
    }

    [Fact]
    public void Freezing_state_is_reported()
    {
        ICgroupManager manager = CreateCreated();
        _tree.Write("freezer/berth/c1/freezer.state", "FREEZING\n");

        Assert.Equal(FreezerState.Freezing, manager.GetFreezerState());
    }

    [Fact]
    public void Oom_kill_count_comes_from_oom_control()
    {
        ICgroupManager manager = CreateCreated();
        Assert.Equal(0, manager.GetOomKillCount());

        _tree.Write("memory/berth/c1/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");

        Assert.Equal(3, manager.GetOomKillCount());
    }

    [Fact]
    public void Destroy_removes_only_the_leaf_in_every_hierarchy()
    {
        ICgroupManager manager = CreateCreated("/berth/c1");
        CreateCreated("/berth/c2");
        Assert.True(manager.Exists());

        manager.Destroy();

        Assert.False(manager.Exists());
        Assert.Equal(Hierarchies.Select(h => $"{h}/berth/c1").Order(StringComparer.Ordinal), _tree.Removed.Order(StringComparer.Ordinal));
        foreach (string hierarchy in Hierarchies)
        {
            Assert.True(_tree.DirectoryExists($"{hierarchy}/berth/c2"));
        }
    }

    [Fact]
    public void Destroy_removes_child_cgroups_first_and_tolerates_missing_ones()
    {
        ICgroupManager manager = CreateCreated("/berth/c1");
        _tree.CreateManager("/berth/c1/inner").Create();
        Directory.Delete(Path.Join(_tree.Root, "blkio/berth/c1"), recursive: true);

        manager.Destroy();
        manager.Destroy();

        Assert.False(_tree.DirectoryExists("memory/berth/c1"));
        Assert.True(_tree.DirectoryExists("memory/berth"));
        Assert.Contains("memory/berth/c1/inner", _tree.Removed);
    }

    [Fact]
    public void Destroy_of_a_busy_cgroup_fails_after_retrying_and_still_cleans_the_rest()
    {
        ICgroupManager manager = CreateCreated();
        _tree.Write("memory/berth/c1/cgroup.procs", "99\n");

        var ex = Assert.Throws<BerthException>(manager.Destroy);

        Assert.Equal(ErrorKind.Conflict, ex.Kind);
        Assert.Contains("rmdir", ex.Message, StringComparison.Ordinal);
        Assert.True(_tree.DirectoryExists("memory/berth/c1"));
        Assert.False(_tree.DirectoryExists("pids/berth/c1"));
    }

    [Fact]
    public void OpenDirectoryForClone_is_null_on_v1() =>
        Assert.Null(CreateCreated().OpenDirectoryForClone());
}
