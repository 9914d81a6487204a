using Berth.Core.Errors;
using Berth.Runtime.Containers;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Tests.Containers;

public sealed class ContainerSpecBuilderTests : IDisposable
{
    private readonly string _rootfs = Directory.CreateTempSubdirectory("berth-specbuilder-").FullName;

    public ContainerSpecBuilderTests()
    {
        Directory.CreateDirectory(Path.Combine(_rootfs, "etc"));
        File.WriteAllText(Path.Combine(_rootfs, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n");
        File.WriteAllText(Path.Combine(_rootfs, "etc/group"), "root:x:0:\napp:x:1000:\naudio:x:29:app,other\nstaff:x:50:app\n");
    }

    public void Dispose() => Directory.Delete(_rootfs, recursive: true);

    private static string? ReadLink(string path) => new FileInfo(path).LinkTarget;

    private ContainerSpecOptions Options(Func<ContainerSpecOptions, ContainerSpecOptions>? edit = null)
    {
        var options = new ContainerSpecOptions
        {
            Id = "0123456789ab",
            RootfsPath = _rootfs,
            Args = ["sh", "-c", "true"],
            Hostname = "0123456789ab",
            CgroupsPath = "/berth/0123456789ab",
        };
        return edit is null ? options : edit(options);
    }

    private RuntimeSpec Build(Func<ContainerSpecOptions, ContainerSpecOptions>? edit = null) =>
        ContainerSpecBuilder.Build(Options(edit), ReadLink);

    [Fact]
    public void Default_container_gets_dockers_capabilities_seccomp_and_masked_paths()
    {
        RuntimeSpec spec = Build();
        Assert.Equal(DockerDefaults.Capabilities.Order(), spec.Process!.Capabilities!.Bounding!.Order());
        Assert.NotNull(spec.Linux!.Seccomp);
        Assert.Contains("/proc/kcore", spec.Linux.MaskedPaths!);
        Assert.Contains("/proc/sys", spec.Linux.ReadonlyPaths!);
        Assert.Contains(spec.Linux.Namespaces!, n => n.Type == "network");
        Assert.Equal("/berth/0123456789ab", spec.Linux.CgroupsPath);
        Assert.False(spec.Process.NoNewPrivileges);
        Assert.Equal("ro", spec.Mounts!.Single(m => m.Destination == "/sys").Options!.Last());
    }

    [Fact]
    public void Cap_add_and_drop_accept_short_names_any_case_and_all()
    {
        List<string> caps = Build(o => o with { CapAdd = ["net_admin"], CapDrop = ["CAP_CHOWN", "mknod"] }).Process!.Capabilities!.Bounding!;
        Assert.Contains("CAP_NET_ADMIN", caps);
        Assert.DoesNotContain("CAP_CHOWN", caps);
        Assert.DoesNotContain("CAP_MKNOD", caps);

        Assert.Equal(["CAP_KILL"], Build(o => o with { CapDrop = ["ALL"], CapAdd = ["kill"] }).Process!.Capabilities!.Bounding!);
        Assert.Equal(Capabilities.All.Count, Build(o => o with { CapAdd = ["ALL"] }).Process!.Capabilities!.Bounding!.Count);
    }

    [Fact]
    public void Unknown_capability_is_refused_naming_it()
    {
        var e = Assert.Throws<BerthException>(() => Build(o => o with { CapAdd = ["CAP_FOO"] }));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("invalid CapAdd: unknown capability: \"CAP_FOO\"", e.Message);
    }

    [Fact]
    public void Privileged_has_every_capability_no_seccomp_no_masks_and_all_devices()
    {
        RuntimeSpec spec = Build(o => o with { Privileged = true });
        Assert.Equal(Capabilities.All.Count, spec.Process!.Capabilities!.Bounding!.Count);
        Assert.Null(spec.Linux!.Seccomp);
        Assert.Null(spec.Linux.MaskedPaths);
        Assert.Single(spec.Linux.Resources!.Devices!, d => d.Allow && d.Access == "rwm" && d.Type is null);
        Assert.Equal("rw", spec.Mounts!.Single(m => m.Destination == "/sys").Options!.Last());
    }

    [Fact]
    public void Env_starts_with_path_and_hostname_and_later_entries_replace_by_name()
    {
        RuntimeSpec spec = Build(o => o with { Tty = true, Env = ["PATH=/bin", "A=1", "A=2", "TERM=dumb"] });
        Assert.Equal(["PATH=/bin", "HOSTNAME=0123456789ab", "TERM=dumb", "A=2", "HOME=/root"], spec.Process!.Env!);
    }

    [Theory]
    [InlineData("", 0u, 0u, new uint[0])]
    [InlineData("app", 1000u, 1000u, new uint[] { 29, 50 })]
    [InlineData("1000", 1000u, 1000u, new uint[] { 29, 50 })]
    [InlineData("4242", 4242u, 0u, new uint[0])]
    [InlineData("app:audio", 1000u, 29u, new uint[] { 50 })]
    [InlineData("4242:77", 4242u, 77u, new uint[0])]
    public void User_is_resolved_in_the_images_passwd_and_group(string user, uint uid, uint gid, uint[] additional)
    {
        SpecUser resolved = Build(o => o with { User = user }).Process!.User;
        Assert.Equal(uid, resolved.Uid);
        Assert.Equal(gid, resolved.Gid);
        Assert.Equal(additional, resolved.AdditionalGids?.ToArray() ?? []);
    }

    [Fact]
    public void Unknown_user_name_is_refused_like_docker()
    {
        var e = Assert.Throws<BerthException>(() => Build(o => o with { User = "nobody" }));
        Assert.Equal("unable to find user nobody: no matching entries in passwd file", e.Message);
    }

    [Fact]
    public void Passwd_symlink_pointing_outside_is_resolved_inside_the_rootfs()
    {
        File.Delete(Path.Combine(_rootfs, "etc/passwd"));
        File.CreateSymbolicLink(Path.Combine(_rootfs, "etc/passwd"), "/../../../../etc/shadow-not-here");
        Assert.Throws<BerthException>(() => Build(o => o with { User = "root" }));
    }

    [Fact]
    public void Memory_defaults_swap_to_twice_the_limit_and_cpus_become_a_quota()
    {
        RuntimeSpec spec = Build(o => o with { Memory = 32 << 20, NanoCpus = 1_500_000_000, PidsLimit = 100 });
        Assert.Equal(32L << 20, spec.Linux!.Resources!.Memory!.Limit);
        Assert.Equal(64L << 20, spec.Linux.Resources.Memory.Swap);
        Assert.Equal(150_000, spec.Linux.Resources.Cpu!.Quota);
        Assert.Equal(100_000ul, spec.Linux.Resources.Cpu.Period);
        Assert.Equal(100, spec.Linux.Resources.Pids!.Limit);
    }

    [Fact]
    public void Too_small_memory_limit_is_refused_with_dockers_message()
    {
        var e = Assert.Throws<BerthException>(() => Build(o => o with { Memory = 1 << 20 }));
        Assert.Equal("Minimum memory limit allowed is 6MB", e.Message);
    }

    [Fact]
    public void User_mounts_replace_defaults_at_the_same_destination_and_come_parents_first()
    {
        string source = Directory.CreateDirectory(Path.Combine(_rootfs, "src")).FullName;
        RuntimeSpec spec = Build(o => o with
        {
            Mounts =
            [
                new ContainerMountOption("bind", source, "/data/sub") { ReadOnly = true },
                new ContainerMountOption("bind", source, "/data"),
                new ContainerMountOption("tmpfs", "", "/dev/shm") { Options = ["size=1m", "exec"] },
            ],
        });
        List<string> destinations = spec.Mounts!.Select(m => m.Destination).ToList();
        Assert.True(destinations.IndexOf("/data") < destinations.IndexOf("/data/sub"));
        Assert.Equal(["rbind", "rprivate", "ro"], spec.Mounts!.Single(m => m.Destination == "/data/sub").Options!);
        SpecMount shm = Assert.Single(spec.Mounts!, m => m.Destination == "/dev/shm");
        Assert.Equal(["nosuid", "nodev", "size=1m", "exec"], shm.Options!);
    }

    [Fact]
    public void Missing_bind_source_is_refused_like_docker()
    {
        var e = Assert.Throws<BerthException>(() => Build(o => o with { Mounts = [new ContainerMountOption("bind", "/no/such/dir-berth", "/x")] }));
        Assert.Equal("invalid mount config for type \"bind\": bind source path does not exist: /no/such/dir-berth", e.Message);
    }

    [Fact]
    public void Host_network_has_no_network_namespace_and_no_sysctls()
    {
        RuntimeSpec spec = Build(o => o with { NetworkMode = ContainerNetworkMode.Host });
        Assert.DoesNotContain(spec.Linux!.Namespaces!, n => n.Type == "network");
        Assert.Null(spec.Linux.Sysctl);
    }

    [Fact]
    public void Missing_working_directory_is_created_inside_the_rootfs()
    {
        RuntimeSpec spec = Build(o => o with { WorkingDir = "/srv/app" });
        Assert.Equal("/srv/app", spec.Process!.Cwd);
        Assert.True(Directory.Exists(Path.Combine(_rootfs, "srv/app")));
    }

    [Fact]
    public void Ulimits_become_rlimits_and_bad_ones_are_refused()
    {
        RuntimeSpec spec = Build(o => o with { Ulimits = [new UlimitOption("nofile", 10, 20)] });
        SpecRlimit rlimit = Assert.Single(spec.Process!.Rlimits!);
        Assert.Equal(("RLIMIT_NOFILE", 10ul, 20ul), (rlimit.Type, rlimit.Soft, rlimit.Hard));
        Assert.Throws<BerthException>(() => Build(o => o with { Ulimits = [new UlimitOption("bogus", 1, 1)] }));
        Assert.Throws<BerthException>(() => Build(o => o with { Ulimits = [new UlimitOption("nofile", 30, 20)] }));
    }
}
