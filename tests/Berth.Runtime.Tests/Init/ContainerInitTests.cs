using Berth.Linux;
using Berth.Runtime.Init;
using Berth.Runtime.Spec;
using Berth.Testing.Linux;

namespace Berth.Runtime.Tests.Init;

/// <summary>The init's ordered steps, asserted as the syscalls they make (no root, nothing changed).</summary>
public sealed class ContainerInitTests
{
    private const string Rootfs = "/b/rootfs";

    [Fact]
    public void Mounts_happen_in_spec_order_inside_the_rootfs_then_pivot_then_masks()
    {
        RecordingSyscalls sys = NewSyscalls();
        Init(sys, Spec()).Setup();

        string[] order = [.. sys.Calls.Where(c => c.StartsWith("mount", StringComparison.Ordinal) || c.StartsWith("pivot_root", StringComparison.Ordinal))];
        Assert.StartsWith("mount - / - Recursive, Slave", order[0], StringComparison.Ordinal);
        Assert.StartsWith($"mount {Rootfs} {Rootfs} - Bind, Recursive", order[1], StringComparison.Ordinal);
        Assert.StartsWith($"mount proc {Rootfs}/proc proc", order[2], StringComparison.Ordinal);
        Assert.StartsWith($"mount tmpfs {Rootfs}/dev tmpfs", order[3], StringComparison.Ordinal);
        int pivot = Array.FindIndex(order, c => c.StartsWith("pivot_root", StringComparison.Ordinal));
        int mask = Array.FindIndex(order, c => c.StartsWith("mount /dev/null /proc/kcore", StringComparison.Ordinal));
        Assert.True(pivot > 3 && mask > pivot, string.Join('\n', order));
    }

    [Fact]
    public void Default_devices_and_links_are_created_in_a_private_dev()
    {
        RecordingSyscalls sys = NewSyscalls();
        Init(sys, Spec()).Setup();

        Assert.Contains($"mknod {Rootfs}/dev/null 20666 259", sys.Calls);
        Assert.Contains($"symlink {Rootfs}/dev/ptmx -> pts/ptmx", sys.Calls);
        Assert.Contains($"symlink {Rootfs}/dev/fd -> /proc/self/fd", sys.Calls);
    }

    [Fact]
    public void A_mount_target_behind_a_symlink_stays_inside_the_rootfs()
    {
        RecordingSyscalls sys = NewSyscalls().WithFile($"{Rootfs}/evil", linkTarget: "/etc");
        RuntimeSpec spec = Spec();
        spec.Mounts.Add(new SpecMount { Destination = "/evil/x", Type = "tmpfs", Source = "tmpfs" });
        Init(sys, spec).Setup();

        Assert.Contains(sys.Calls, c => c.StartsWith($"mount tmpfs {Rootfs}/etc/x tmpfs", StringComparison.Ordinal));
        Assert.DoesNotContain(sys.Calls, c => c.Contains(" /etc/x ", StringComparison.Ordinal));
    }

    [Fact]
    public void Credentials_switch_in_runc_order_and_the_executable_is_found_on_PATH()
    {
        RecordingSyscalls sys = NewSyscalls().WithFile($"/bin/sh");
        RuntimeSpec spec = Spec();
        spec.Process!.User = new SpecUser { Uid = 1000, Gid = 1000, AdditionalGids = [10] };
        var init = Init(sys, spec);
        init.Setup();

        string[] creds = [.. sys.Calls.Where(c => c.StartsWith("set", StringComparison.Ordinal))];
        Assert.Equal(["setgroups", "setresgid 1000", "setresuid 1000"], creds);
        Assert.Equal("/bin/sh", init.Executable);
        Assert.Contains("HOME=/", init.Environment);
    }

    [Fact]
    public void A_failing_step_is_reported_with_its_name_and_the_syscall()
    {
        RecordingSyscalls sys = NewSyscalls();
        sys.FailOn = ("pivot_root", Errno.EINVAL);
        var ex = Assert.Throws<InitStepException>(() => Init(sys, Spec()).Setup());
        Assert.Equal("pivot-root", ex.Step);
        Assert.StartsWith("init step \"pivot-root\" failed: pivot_root", ex.Message, StringComparison.Ordinal);
        Assert.Equal((int)Errno.EINVAL, ex.Errno);
    }

    [Fact]
    public void Sysctl_keys_become_proc_sys_paths_and_bad_keys_are_refused()
    {
        RecordingSyscalls sys = NewSyscalls();
        RuntimeSpec spec = Spec();
        spec.Linux!.Sysctl = new() { ["net.ipv4.ip_forward"] = "1" };
        Init(sys, spec).Setup();
        Assert.Contains("write /proc/sys/net/ipv4/ip_forward 1", sys.Calls);

        spec.Linux.Sysctl = new() { ["net/../../etc"] = "1" };
        var ex = Assert.Throws<InitStepException>(() => Init(NewSyscalls(), spec).Setup());
        Assert.Equal("sysctl", ex.Step);
    }

    [Fact]
    public void When_the_init_moves_itself_into_its_cgroup_the_cgroup_mount_waits_for_that_and_the_others_go_first()
    {
        RecordingSyscalls sys = NewSyscalls();
        RuntimeSpec spec = Spec();
        spec.Mounts.Insert(1, new SpecMount { Destination = "/sys/fs/cgroup", Type = "cgroup", Source = "cgroup" });
        spec.Linux!.Namespaces!.Add(new SpecNamespace { Type = "cgroup" });
        int joined = 0, joinedAt = -1;
        var init = new ContainerInit(sys, new InitRequest { ContainerId = "c", Bundle = "/b", Rootfs = Rootfs }, spec,
            joinCgroup: () => { joined++; joinedAt = sys.Calls.Count; });

        init.Setup();

        int dev = sys.Calls.FindIndex(c => c.StartsWith($"mount tmpfs {Rootfs}/dev tmpfs", StringComparison.Ordinal));
        int unshare = sys.Calls.IndexOf("unshare Cgroup");
        int cgroup = sys.Calls.FindIndex(c => c.StartsWith($"mount tmpfs {Rootfs}/sys/fs/cgroup tmpfs", StringComparison.Ordinal));
        Assert.Equal(1, joined);
        Assert.True(dev < joinedAt && joinedAt <= unshare && unshare < cgroup, string.Join('\n', sys.Calls));
    }

    [Fact]
    public void A_cgroup_mount_with_a_later_mount_inside_it_keeps_its_place()
    {
        RecordingSyscalls sys = NewSyscalls();
        RuntimeSpec spec = Spec();
        spec.Mounts.Insert(1, new SpecMount { Destination = "/sys/fs/cgroup", Type = "cgroup", Source = "cgroup" });
        spec.Mounts.Add(new SpecMount { Destination = "/sys/fs/cgroup/extra", Type = "tmpfs", Source = "tmpfs" });
        int joinedAt = -1;
        var init = new ContainerInit(sys, new InitRequest { ContainerId = "c", Bundle = "/b", Rootfs = Rootfs }, spec,
            joinCgroup: () => joinedAt = sys.Calls.Count);

        init.Setup();

        int cgroup = sys.Calls.FindIndex(c => c.StartsWith($"mount tmpfs {Rootfs}/sys/fs/cgroup tmpfs", StringComparison.Ordinal));
        int dev = sys.Calls.FindIndex(c => c.StartsWith($"mount tmpfs {Rootfs}/dev tmpfs", StringComparison.Ordinal));
        int extra = sys.Calls.FindIndex(c => c.StartsWith($"mount tmpfs {Rootfs}/sys/fs/cgroup/extra tmpfs", StringComparison.Ordinal));
        Assert.True(joinedAt <= cgroup && cgroup < dev && dev < extra, string.Join('\n', sys.Calls));
    }

    private static RecordingSyscalls NewSyscalls() =>
        new RecordingSyscalls().WithDirectory(Rootfs).WithDirectory("/proc/acpi").WithFile("/proc/kcore").WithFile("/bin/sh");

    private static ContainerInit Init(RecordingSyscalls sys, RuntimeSpec spec) =>
        new(sys, new InitRequest { ContainerId = "c", Bundle = "/b", Rootfs = Rootfs }, spec);

    private static RuntimeSpec Spec() => new()
    {
        Process = new SpecProcess { Args = ["sh"], Cwd = "/", Env = ["PATH=/bin"] },
        Root = new SpecRoot { Path = "rootfs" },
        Mounts =
        [
            new SpecMount { Destination = "/proc", Type = "proc", Source = "proc" },
            new SpecMount { Destination = "/dev", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "strictatime", "mode=755", "size=65536k"] },
        ],
        Linux = new SpecLinux
        {
            Namespaces = [new SpecNamespace { Type = "pid" }, new SpecNamespace { Type = "mount" }],
            MaskedPaths = ["/proc/kcore", "/proc/acpi"],
            ReadonlyPaths = ["/proc/sys"],
        },
    };
}
