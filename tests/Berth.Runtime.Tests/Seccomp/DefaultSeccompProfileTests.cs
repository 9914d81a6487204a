using Berth.Runtime.Seccomp;
using Berth.Runtime.Spec;
using static Berth.Runtime.Tests.Seccomp.BpfInterpreter;

namespace Berth.Runtime.Tests.Seccomp;

public sealed class DefaultSeccompProfileTests
{
    private const ulong CloneNewUser = 0x10000000, CloneNewNs = 0x00020000, CloneNewNet = 0x40000000;
    private const ulong ThreadFlags = 0x003D0F00;   // what glibc's pthread_create passes to clone
    private const ulong ForkFlags = 0x01200011;     // CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD

    private static readonly byte[] Program = SeccompCompiler.Compile(DefaultSeccompProfile.Create());

    [Fact]
    public void Shape_matches_dockers_default()
    {
        SpecSeccomp profile = DefaultSeccompProfile.Create();

        Assert.Equal("SCMP_ACT_ERRNO", profile.DefaultAction);
        Assert.Equal(1u, profile.DefaultErrnoRet);
        Assert.Equal(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], profile.Architectures);
        Assert.InRange(profile.Syscalls![0].Names.Count, 350, 400);
        Assert.Null(profile.Flags);
    }

    [Fact]
    public void Compiles_to_a_long_valid_program()
    {
        Validate(Program);
        Assert.True(Length(Program) > 255, $"{Length(Program)} instructions");
        Assert.True(Length(Program) < 4096, $"{Length(Program)} instructions");
    }

    [Theory]
    [InlineData(Nr.Read)]
    [InlineData(Nr.Write)]
    [InlineData(Nr.Open)]
    [InlineData(Nr.Getpid)]
    [InlineData(Nr.Fork)]
    [InlineData(Nr.ArchPrctl)]
    [InlineData(Nr.RtSigaction)]
    [InlineData(Nr.Ptrace)]   // allowed since kernel 4.8 (ptrace can no longer bypass seccomp)
    public void Ordinary_syscalls_are_allowed(uint nr)
    {
        Assert.Equal(RetAllow, Run(Program, SeccompData.X64(nr)));
    }

    [Theory]
    [InlineData(Nr.Mount)]
    [InlineData(Nr.Umount2)]
    [InlineData(Nr.Unshare)]
    [InlineData(Nr.Setns)]
    [InlineData(Nr.Keyctl)]
    [InlineData(Nr.AddKey)]
    [InlineData(Nr.Reboot)]
    [InlineData(Nr.Swapon)]
    [InlineData(Nr.Chroot)]
    [InlineData(Nr.InitModule)]
    [InlineData(Nr.Sethostname)]
    public void Privileged_syscalls_get_EPERM(uint nr)
    {
        Assert.Equal(Errno(1), Run(Program, SeccompData.X64(nr)));
    }

    [Fact]
    public void Clone_is_allowed_without_namespace_flags_only()
    {
        Assert.Equal(RetAllow, Run(Program, SeccompData.X64(Nr.Clone, ForkFlags)));
        Assert.Equal(RetAllow, Run(Program, SeccompData.X64(Nr.Clone, ThreadFlags)));
        Assert.Equal(Errno(1), Run(Program, SeccompData.X64(Nr.Clone, ForkFlags | CloneNewUser)));
        Assert.Equal(Errno(1), Run(Program, SeccompData.X64(Nr.Clone, CloneNewNs)));
        Assert.Equal(Errno(1), Run(Program, SeccompData.X64(Nr.Clone, CloneNewNet)));
        Assert.Equal(Errno(1), Run(Program, SeccompData.X86(Nr.I386Clone, CloneNewUser)));
        Assert.Equal(RetAllow, Run(Program, SeccompData.X86(Nr.I386Clone, ForkFlags)));
    }

    [Fact]
    public void Clone3_gets_ENOSYS_so_libc_falls_back_to_clone()
    {
        Assert.Equal(Errno(38), Run(Program, SeccompData.X64(Nr.Clone3)));
        Assert.Equal(Errno(38), Run(Program, SeccompData.X86(Nr.I386Clone3)));
        Assert.Equal(Errno(38), Run(Program, SeccompData.X32(Nr.Clone3)));
    }

    [Theory]
    [InlineData(2UL, true)]      // AF_INET
    [InlineData(10UL, true)]     // AF_INET6
    [InlineData(16UL, true)]     // AF_NETLINK
    [InlineData(38UL, false)]    // AF_ALG
    [InlineData(39UL, true)]
    [InlineData(40UL, false)]    // AF_VSOCK
    [InlineData(44UL, true)]     // AF_XDP
    public void Socket_refuses_AF_ALG_and_AF_VSOCK(ulong family, bool allowed)
    {
        Assert.Equal(allowed ? RetAllow : Errno(1), Run(Program, SeccompData.X64(Nr.Socket, family)));
    }

    [Theory]
    [InlineData(0x0UL, true)]
    [InlineData(0x8UL, true)]
    [InlineData(0x20000UL, true)]
    [InlineData(0x20008UL, true)]
    [InlineData(0xFFFFFFFFUL, true)]
    [InlineData(0x0040000UL, false)]    // ADDR_NO_RANDOMIZE
    [InlineData(0x1_0000_0000UL, false)]
    public void Personality_is_limited_to_the_harmless_values(ulong persona, bool allowed)
    {
        Assert.Equal(allowed ? RetAllow : Errno(1), Run(Program, SeccompData.X64(Nr.Personality, persona)));
    }

    [Fact]
    public void The_32_bit_and_x32_abis_are_filtered_too()
    {
        Assert.Equal(RetAllow, Run(Program, SeccompData.X86(Nr.I386Read)));
        Assert.Equal(RetAllow, Run(Program, SeccompData.X86(Nr.I386Chown32)));
        Assert.Equal(RetAllow, Run(Program, SeccompData.X86(Nr.I386Socketcall)));
        Assert.Equal(Errno(1), Run(Program, SeccompData.X86(Nr.I386Mount)));
        Assert.Equal(Errno(1), Run(Program, SeccompData.X86(Nr.I386Unshare)));
        Assert.Equal(RetAllow, Run(Program, SeccompData.X32(Nr.Read)));
        Assert.Equal(RetAllow, Run(Program, SeccompData.X32(Nr.X32RtSigaction)));
        Assert.Equal(Errno(1), Run(Program, SeccompData.X32(Nr.Mount)));
        Assert.Equal(RetKillProcess, Run(Program, new SeccompData(Nr.Read, SeccompData.Aarch64)));
    }

    [Fact]
    public void Unknown_future_syscalls_get_ENOSYS()
    {
        Assert.Equal(Errno(38), Run(Program, SeccompData.X64(Nr.FileSetattr + 1)));
        Assert.Equal(Errno(38), Run(Program, SeccompData.X64(1000)));
    }

    [Fact]
    public void Names_outside_x86_are_the_only_ones_no_table_knows()
    {
        // recv/send exist only on architectures that have no socketcall (arm, ...); riscv_hwprobe only on riscv64.
        Assert.Equal(["recv", "riscv_hwprobe", "send"], SeccompCompiler.UnknownSyscalls(DefaultSeccompProfile.Create()).ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Checking_runs_of_syscalls_as_ranges_decides_every_number_as_checking_each_alone(bool privilegedCapabilities)
    {
        SpecSeccomp profile = DefaultSeccompProfile.Create(privilegedCapabilities ? ["CAP_SYS_ADMIN", "CAP_SYS_PTRACE", "CAP_SYS_MODULE"] : []);
        byte[] merged = SeccompCompiler.Compile(profile, SeccompAbi.X86_64);
        byte[] plain = SeccompCompiler.Compile(profile, SeccompAbi.X86_64, mergeRuns: false);

        Validate(merged);
        Assert.True(Length(merged) * 2 < Length(plain), $"{Length(merged)} instructions merged, {Length(plain)} plain");
        ulong[][] argumentSets = [[], [CloneNewUser], [ThreadFlags], [0x0040000UL], [0xFFFFFFFFUL, 1], [1UL << 40, 0x2, 0x4]];
        for (uint nr = 0; nr < 600; nr++)
        {
            foreach (ulong[] args in argumentSets)
            {
                foreach (SeccompData data in new[] { SeccompData.X64(nr, args), SeccompData.X32(nr, args), SeccompData.X86(nr, args) })
                {
                    Assert.True(Run(plain, data) == Run(merged, data), $"nr {data.Nr:x} arch {data.Arch:x} args [{string.Join(',', args)}]");
                }
            }
        }
    }

    [Fact]
    public void CAP_SYS_ADMIN_opens_the_namespace_and_mount_syscalls()
    {
        byte[] program = SeccompCompiler.Compile(DefaultSeccompProfile.Create(["CAP_SYS_ADMIN"]));

        Assert.Equal(RetAllow, Run(program, SeccompData.X64(Nr.Mount)));
        Assert.Equal(RetAllow, Run(program, SeccompData.X64(Nr.Unshare)));
        Assert.Equal(RetAllow, Run(program, SeccompData.X64(Nr.Setns)));
        Assert.Equal(RetAllow, Run(program, SeccompData.X64(Nr.Clone, CloneNewUser)));
        Assert.Equal(RetAllow, Run(program, SeccompData.X64(Nr.Clone3)));
        Assert.Equal(Errno(1), Run(program, SeccompData.X64(Nr.Reboot)));
        Assert.Equal(Errno(1), Run(program, SeccompData.X64(Nr.Keyctl)));
    }

    [Theory]
    [InlineData("CAP_SYS_BOOT", Nr.Reboot)]
    [InlineData("CAP_SYS_CHROOT", Nr.Chroot)]
    [InlineData("CAP_SYS_MODULE", Nr.InitModule)]
    [InlineData("CAP_SYS_PTRACE", 312u)]   // kcmp
    [InlineData("CAP_SYS_TIME", 164u)]     // settimeofday
    [InlineData("CAP_SYS_NICE", 237u)]     // mbind
    [InlineData("CAP_SYSLOG", 103u)]       // syslog
    [InlineData("CAP_BPF", 321u)]          // bpf
    [InlineData("CAP_PERFMON", 298u)]      // perf_event_open
    [InlineData("CAP_DAC_READ_SEARCH", 304u)]   // open_by_handle_at
    [InlineData("CAP_SYS_RAWIO", 173u)]    // ioperm
    [InlineData("CAP_SYS_PACCT", 163u)]    // acct
    [InlineData("CAP_SYS_TTY_CONFIG", 153u)]   // vhangup
    public void Capability_gated_groups_follow_the_capability(string capability, uint nr)
    {
        Assert.Equal(Errno(1), Run(Program, SeccompData.X64(nr)));
        Assert.Equal(RetAllow, Run(SeccompCompiler.Compile(DefaultSeccompProfile.Create([capability])), SeccompData.X64(nr)));
    }

    [Fact]
    public void Each_call_returns_an_independent_graph()
    {
        SpecSeccomp a = DefaultSeccompProfile.Create();
        a.Syscalls![0].Names.Clear();

        Assert.NotEmpty(DefaultSeccompProfile.Create().Syscalls![0].Names);
    }
}
