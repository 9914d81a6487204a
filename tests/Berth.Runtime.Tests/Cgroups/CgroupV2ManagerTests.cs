using Berth.Core.Errors;
using Berth.Runtime.Cgroups;
using Berth.Testing.Cgroups;

namespace Berth.Runtime.Tests.Cgroups;

public sealed class CgroupV2ManagerTests : IDisposable
{
    private readonly FakeCgroupTree _tree = FakeCgroupTree.CreateV2();

    public void Dispose() => _tree.Dispose();

    private ICgroupManager CreateCreated(string path = "/berth/c1")
    {
        ICgroupManager manager = _tree.CreateManager(path);
        manager.Create();
        return manager;
    }

    [Fact]
    public void Factory_picks_v2_when_the_root_has_cgroup_controllers() =>
        Assert.IsType<CgroupV2Manager>(_tree.CreateManager("/berth/c1"));

    [Fact]
    public void V2_has_no_files_to_move_a_thread_through_clone3_places_the_child() =>
        Assert.Empty(_tree.CreateManager("/berth/c1").SelfMoveFiles());

    [Fact]
    public void Create_enables_controllers_in_every_ancestor_but_not_the_leaf()
    {
        CreateCreated("/berth/c1");

        Assert.Equal("+cpu +cpuset +memory +pids", _tree.Read("cgroup.subtree_control"));
        Assert.Equal("+cpu +cpuset +memory +pids", _tree.Read("berth/cgroup.subtree_control"));
        Assert.Equal("", _tree.Read("berth/c1/cgroup.subtree_control"));
        Assert.Equal("cpu cpuset memory pids", _tree.Read("berth/c1/cgroup.controllers"));
    }

    [Fact]
    public void Only_controllers_the_ancestor_has_are_enabled()
    {
        using var tree = FakeCgroupTree.CreateV2(controllers: "memory pids io");
        tree.CreateManager("/berth/c1").Create();

        Assert.Equal("+memory +pids", tree.Read("cgroup.subtree_control"));
        Assert.Equal("memory pids", tree.Read("berth/c1/cgroup.controllers"));
    }

    [Fact]
    public void Apply_writes_every_v2_file()
    {
        ICgroupManager manager = CreateCreated();

        manager.Apply(new CgroupResources
        {
            MemoryLimit = 100 << 20,
            MemoryReservation = 50 << 20,
            MemorySwap = 300 << 20,
            CpuShares = 1024,
            CpuQuota = 50000,
            CpuPeriod = 100000,
            CpusetCpus = "0-1",
            CpusetMems = "0",
            PidsLimit = 64,
        });

        Assert.Equal("104857600", _tree.Read("berth/c1/memory.max"));
        Assert.Equal("52428800", _tree.Read("berth/c1/memory.low"));
        Assert.Equal("209715200", _tree.Read("berth/c1/memory.swap.max"));
        Assert.Equal("39", _tree.Read("berth/c1/cpu.weight"));
        Assert.Equal("50000 100000", _tree.Read("berth/c1/cpu.max"));
        Assert.Equal("0-1", _tree.Read("berth/c1/cpuset.cpus"));
        Assert.Equal("0", _tree.Read("berth/c1/cpuset.mems"));
        Assert.Equal("64", _tree.Read("berth/c1/pids.max"));
    }

    [Fact]
    public void Unlimited_values_are_written_as_max()
    {
        ICgroupManager manager = CreateCreated();
        _tree.Write("berth/c1/memory.max", "1");
        _tree.Write("berth/c1/memory.swap.max", "1");
        _tree.Write("berth/c1/pids.max", "1");

        manager.Apply(new CgroupResources { MemoryLimit = -1, PidsLimit = -1, CpuQuota = -1, CpuPeriod = 50000 });

        Assert.Equal("max", _tree.Read("berth/c1/memory.max"));
        Assert.Equal("max", _tree.Read("berth/c1/memory.swap.max"));
        Assert.Equal("max", _tree.Read("berth/c1/pids.max"));
        Assert.Equal("max 50000", _tree.Read("berth/c1/cpu.max"));
    }

    [Fact]
    public void A_quota_alone_keeps_the_period()
    {
        ICgroupManager manager = CreateCreated();

        manager.Apply(new CgroupResources { CpuQuota = 25000 });

        Assert.Equal("25000", _tree.Read("berth/c1/cpu.max"));
    }

    [Fact]
    public void Swap_equal_to_memory_disables_swap()
    {
        ICgroupManager manager = CreateCreated();

        manager.Apply(new CgroupResources { MemoryLimit = 1000, MemorySwap = 1000 });

        Assert.Equal("0", _tree.Read("berth/c1/memory.swap.max"));
    }

    [Fact]
    public void Missing_swap_file_is_fine_for_max_but_not_for_a_limit()
    {
        ICgroupManager manager = CreateCreated();
        File.Delete(Path.Join(_tree.Root, "berth/c1/memory.swap.max"));

        manager.Apply(new CgroupResources { MemoryLimit = -1 });
        Assert.Throws<Berth.Linux.LinuxException>(() => manager.Apply(new CgroupResources { MemoryLimit = 1000, MemorySwap = 3000 }));
    }

    [Fact]
    public void V1_only_settings_are_ignored()
    {
        ICgroupManager manager = CreateCreated();

        manager.Apply(new CgroupResources { MemorySwappiness = 10, DisableOomKiller = true });

        Assert.False(_tree.FileExists("berth/c1/memory.swappiness"));
        Assert.False(_tree.FileExists("berth/c1/memory.oom_control"));
    }

    [Fact]
    public void Unified_entries_are_written_after_typed_values()
    {
        ICgroupManager manager = CreateCreated();

        manager.Apply(new CgroupResources
        {
            PidsLimit = 10,
            Unified = new Dictionary<string, string> { ["memory.high"] = "5000", ["pids.max"] = "20" },
        });

        Assert.Equal("5000", _tree.Read("berth/c1/memory.high"));
        Assert.Equal("20", _tree.Read("berth/c1/pids.max"));
    }

    [Theory]
    [InlineData("../cgroup.procs")]
    [InlineData("sub/memory.max")]
    [InlineData("..")]
    [InlineData("")]
    public void Unified_keys_that_leave_the_cgroup_are_rejected(string key)
    {
        ICgroupManager manager = CreateCreated();

        var ex = Assert.Throws<BerthException>(() =>
            manager.Apply(new CgroupResources { Unified = new Dictionary<string, string> { [key] = "1" } }));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("unified", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unified_key_of_a_disabled_controller_names_the_controller()
    {
        ICgroupManager manager = CreateCreated();

        var ex = Assert.Throws<BerthException>(() =>
            manager.Apply(new CgroupResources { Unified = new Dictionary<string, string> { ["io.max"] = "8:0 rbps=1" } }));

        Assert.Contains("\"io\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddProcess_and_GetPids_use_cgroup_procs()
    {
        ICgroupManager manager = CreateCreated();
        manager.AddProcess(77);
        _tree.CreateManager("/berth/c1/sub").Create();
        _tree.Write("berth/c1/sub/cgroup.procs", "78\n");

        Assert.Equal("77", _tree.Read("berth/c1/cgroup.procs"));
        Assert.Equal([77, 78], manager.GetPids().Order());
    }

    [Fact]
    public void Freeze_waits_for_cgroup_events_and_thaw_clears_the_request()
    {
        ICgroupManager manager = CreateCreated();
        _tree.SetV2Frozen("berth/c1", frozen: true);

        manager.Freeze();

        Assert.Equal("1", _tree.Read("berth/c1/cgroup.freeze"));
        Assert.Equal(FreezerState.Frozen, manager.GetFreezerState());

        manager.Thaw();
        Assert.Equal("0", _tree.Read("berth/c1/cgroup.freeze"));
        Assert.Equal(FreezerState.Thawed, manager.GetFreezerState());
    }

    [Fact]
    public void Freeze_that_never_completes_times_out_and_thaws()
    {
        var manager = new CgroupV2Manager(_tree.Root, "/berth/c1") { FreezeTimeout = TimeSpan.FromMilliseconds(50) };
        CreateCreated();

        var ex = Assert.Throws<BerthException>(manager.Freeze);

        Assert.Equal(ErrorKind.Conflict, ex.Kind);
        Assert.Equal("0", _tree.Read("berth/c1/cgroup.freeze"));
    }

    [Fact]
    public void Freeze_requested_but_not_reached_reads_as_freezing()
    {
        ICgroupManager manager = CreateCreated();
        _tree.Write("berth/c1/cgroup.freeze", "1\n");

        Assert.Equal(FreezerState.Freezing, manager.GetFreezerState());
    }

    [Fact]
    public void Oom_kill_count_comes_from_memory_events()
    {
        ICgroupManager manager = CreateCreated();
        _tree.Write("berth/c1/memory.events", "low 0\nhigh 0\nmax 4\noom 2\noom_kill 2\n");

        Assert.Equal(2, manager.GetOomKillCount());
    }

    [Fact]
    public void OpenDirectoryForClone_returns_an_open_descriptor()
    {
        ICgroupManager manager = CreateCreated();

        using Berth.Linux.SafeFd? fd = manager.OpenDirectoryForClone();

        Assert.NotNull(fd);
        Assert.False(fd.IsInvalid);
    }

    [Fact]
    public void Destroy_removes_the_leaf_and_keeps_the_shared_parent()
    {
        ICgroupManager manager = CreateCreated("/berth/c1");

        manager.Destroy();
        manager.Destroy();

        Assert.False(manager.Exists());
        Assert.True(_tree.DirectoryExists("berth"));
        Assert.Equal(["berth/c1"], _tree.Removed);
    }
}
