using Berth.Core.Errors;
using Berth.Runtime.Seccomp;
using Berth.Runtime.Spec;
using static Berth.Runtime.Tests.Seccomp.BpfInterpreter;

namespace Berth.Runtime.Tests.Seccomp;

public sealed class SeccompCompilerTests
{
    private static readonly string[] X86Family = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"];

    [Fact]
    public void Allowed_syscalls_are_allowed_and_the_rest_get_the_default_errno()
    {
        byte[] program = Compile(Profile("SCMP_ACT_ERRNO", 1, null, Rule("SCMP_ACT_ALLOW", "read", "write", "getpid")));

        Assert.Equal(RetAllow, Run(program, SeccompData.X64(Nr.Read)));
        Assert.Equal(RetAllow, Run(program, SeccompData.X64(Nr.Write)));
        Assert.Equal(RetAllow, Run(program, SeccompData.X64(Nr.Getpid)));
        Assert.Equal(Errno(1), Run(program, SeccompData.X64(Nr.Open)));
    }

    [Fact]
    public void Errno_without_errnoRet_returns_EPERM_like_runc()
    {
        byte[] program = Compile(Profile("SCMP_ACT_ALLOW", null, null, Rule("SCMP_ACT_ERRNO", "mount")));

        Assert.Equal(Errno(1), Run(program, SeccompData.X64(Nr.Mount)));
        Assert.Equal(RetAllow, Run(program, SeccompData.X64(Nr.Read)));
    }

    [Fact]
    public void Errno_rules_and_the_default_return_their_errnoRet()
    {
        SpecSyscall rule = Rule("SCMP_ACT_ERRNO", "mount");
        rule.ErrnoRet = 13;
        byte[] program = Compile(Profile("SCMP_ACT_ERRNO", 38, null, rule, Rule("SCMP_ACT_ALLOW", "read")));

        Assert.Equal(Errno(13), Run(program, SeccompData.X64(Nr.Mount)));
        Assert.Equal(Errno(38), Run(program, SeccompData.X64(Nr.Write)));
    }

    [Theory]
    [InlineData("SCMP_ACT_KILL", RetKillThread)]
    [InlineData("SCMP_ACT_KILL_THREAD", RetKillThread)]
    [InlineData("SCMP_ACT_KILL_PROCESS", RetKillProcess)]
    [InlineData("SCMP_ACT_TRAP", RetTrap)]
    [InlineData("SCMP_ACT_ERRNO", RetErrno | 1)]
    [InlineData("SCMP_ACT_TRACE", RetTrace | 1)]
    [InlineData("SCMP_ACT_LOG", RetLog)]
    [InlineData("SCMP_ACT_ALLOW", RetAllow)]
    public void Actions_map_to_the_kernel_return_values(string action, uint expected)
    {
        byte[] asRule = Compile(Profile(action == "SCMP_ACT_ALLOW" ? "SCMP_ACT_LOG" : "SCMP_ACT_ALLOW", null, null, Rule(action, "getpid")));
        byte[] asDefault = Compile(Profile(action, null, null, Rule(action == "SCMP_ACT_ALLOW" ? "SCMP_ACT_LOG" : "SCMP_ACT_ALLOW", "read")));

        Assert.Equal(expected, Run(asRule, SeccompData.X64(Nr.Getpid)));
        Assert.Equal(expected, Run(asDefault, SeccompData.X64(Nr.Getpid)));
    }

    [Fact]
    public void Trace_carries_its_errnoRet_as_data_for_the_tracer()
    {
        SpecSyscall rule = Rule("SCMP_ACT_TRACE", "getpid");
        rule.ErrnoRet = 1234;

        Assert.Equal(RetTrace | 1234, Run(Compile(Profile("SCMP_ACT_ALLOW", null, null, rule)), SeccompData.X64(Nr.Getpid)));
    }

    [Fact]
    public void Notify_is_refused_as_not_implemented()
    {
        Assert.Equal(ErrorKind.NotImplemented, Refused(Profile("SCMP_ACT_ALLOW", null, null, Rule("SCMP_ACT_NOTIFY", "mount"))));
        Assert.Equal(ErrorKind.NotImplemented, Refused(Profile("SCMP_ACT_NOTIFY", null, null)));
    }

    [Theory]
    // op, rule value, argument, holds
    [InlineData("SCMP_CMP_EQ", 0x1_0000_0005UL, 0x1_0000_0005UL, true)]
    [InlineData("SCMP_CMP_EQ", 0x1_0000_0005UL, 0x2_0000_0005UL, false)]   // same low word
    [InlineData("SCMP_CMP_EQ", 0x1_0000_0005UL, 0x1_0000_0006UL, false)]
    [InlineData("SCMP_CMP_NE", 0x1_0000_0005UL, 0x2_0000_0005UL, true)]    // differs only in the high word
    [InlineData("SCMP_CMP_NE", 0x1_0000_0005UL, 0x1_0000_0006UL, true)]
    [InlineData("SCMP_CMP_NE", 0x1_0000_0005UL, 0x1_0000_0005UL, false)]
    [InlineData("SCMP_CMP_GT", 0x1_0000_0005UL, 0x1_0000_0006UL, true)]
    [InlineData("SCMP_CMP_GT", 0x1_0000_0005UL, 0x1_0000_0005UL, false)]
    [InlineData("SCMP_CMP_GT", 0x1_0000_0005UL, 0x2_0000_0000UL, true)]    // high word larger, low word smaller
    [InlineData("SCMP_CMP_GT", 0x1_0000_0005UL, 0x0_FFFF_FFFFUL, false)]   // high word smaller, low word larger
    [InlineData("SCMP_CMP_GE", 0x1_0000_0005UL, 0x1_0000_0005UL, true)]
    [InlineData("SCMP_CMP_GE", 0x1_0000_0005UL, 0x1_0000_0004UL, false)]
    [InlineData("SCMP_CMP_GE", 0x1_0000_0005UL, 0x2_0000_0000UL, true)]
    [InlineData("SCMP_CMP_GE", 0x1_0000_0005UL, 0x0_FFFF_FFFFUL, false)]
    [InlineData("SCMP_CMP_LT", 0x1_0000_0005UL, 0x1_0000_0004UL, true)]
    [InlineData("SCMP_CMP_LT", 0x1_0000_0005UL, 0x1_0000_0005UL, false)]
    [InlineData("SCMP_CMP_LT", 0x1_0000_0005UL, 0x0_FFFF_FFFFUL, true)]
    [InlineData("SCMP_CMP_LT", 0x1_0000_0005UL, 0x2_0000_0000UL, false)]
    [InlineData("SCMP_CMP_LE", 0x1_0000_0005UL, 0x1_0000_0005UL, true)]
    [InlineData("SCMP_CMP_LE", 0x1_0000_0005UL, 0x1_0000_0006UL, false)]
    [InlineData("SCMP_CMP_LE", 0x1_0000_0005UL, 0x0_FFFF_FFFFUL, true)]
    [InlineData("SCMP_CMP_LE", 0x1_0000_0005UL, 0x2_0000_0000UL, false)]
    [InlineData("SCMP_CMP_LT", 5UL, ulong.MaxValue, false)]                 // unsigned: -1 is the largest value
    [InlineData("SCMP_CMP_GT", 5UL, ulong.MaxValue, true)]
    public void Operators_compare_64_bit_arguments_unsigned(string op, ulong value, ulong argument, bool holds)
    {
        for (uint index = 0; index < 6; index++)
        {
            SpecSyscall rule = Rule("SCMP_ACT_ALLOW", "getpid");
            rule.Args = [new SpecSyscallArg { Index = index, Value = value, Op = op }];
            byte[] program = Compile(Profile("SCMP_ACT_ERRNO", null, null, rule));
            ulong[] args = new ulong[6];
            args[index] = argument;

            Assert.Equal(holds ? RetAllow : Errno(1), Run(program, SeccompData.X64(Nr.Getpid, args)));
        }
    }

    [Theory]
    [InlineData(0x0000_00FF_0000_00F0UL, 0x0000_0012_0000_0030UL, 0x1234_5612_9999_9930UL, true)]
    [InlineData(0x0000_00FF_0000_00F0UL, 0x0000_0012_0000_0030UL, 0x1234_5613_9999_9930UL, false)]   // high word differs under the mask
    [InlineData(0x0000_00FF_0000_00F0UL, 0x0000_0012_0000_0030UL, 0x1234_5612_9999_9920UL, false)]   // low word differs under the mask
    [InlineData(0x7E020000UL, 0UL, 0x0000_0000_0001_1200UL, true)]
    [InlineData(0x7E020000UL, 0UL, 0x0000_0000_1000_0000UL, false)]
    public void Masked_eq_compares_the_masked_argument_with_valueTwo(ulong mask, ulong valueTwo, ulong argument, bool holds)
    {
        SpecSyscall rule = Rule("SCMP_ACT_ALLOW", "clone");
        rule.Args = [new SpecSyscallArg { Index = 2, Value = mask, ValueTwo = valueTwo, Op = "SCMP_CMP_MASKED_EQ" }];

        uint result = Run(Compile(Profile("SCMP_ACT_ERRNO", null, null, rule)), SeccompData.X64(Nr.Clone, 0, 0, argument));

        Assert.Equal(holds ? RetAllow : Errno(1), result);
    }

    [Fact]
    public void Conditions_in_one_rule_are_ANDed()
    {
        SpecSyscall rule = Rule("SCMP_ACT_ALLOW", "getpid");
        rule.Args =
        [
            new SpecSyscallArg { Index = 0, Value = 1, Op = "SCMP_CMP_EQ" },
            new SpecSyscallArg { Index = 3, Value = 10, Op = "SCMP_CMP_GE" },
        ];
        byte[] program = Compile(Profile("SCMP_ACT_ERRNO", null, null, rule));

        Assert.Equal(RetAllow, Run(program, SeccompData.X64(Nr.Getpid, 1, 0, 0, 10)));
        Assert.Equal(Errno(1), Run(program, SeccompData.X64(Nr.Getpid, 1, 0, 0, 9)));
        Assert.Equal(Errno(1), Run(program, SeccompData.X64(Nr.Getpid, 2, 0, 0, 10)));
    }

    [Fact]
    public void Conditions_naming_the_same_argument_twice_are_ORed_like_runc()
    {
        SpecSyscall rule = Rule("SCMP_ACT_ALLOW", "personality");
        rule.Args =
        [
            new SpecSyscallArg { Index = 0, Value = 0, Op = "SCMP_CMP_EQ" },
            new SpecSyscallArg { Index = 0, Value = 8, Op = "SCMP_CMP_EQ" },
        ];
        byte[] program = Compile(Profile("SCMP_ACT_ERRNO", null, null, rule));

        Assert.Equal(RetAllow, Run(program, SeccompData.X64(Nr.Personality, 0)));
        Assert.Equal(RetAllow, Run(program, SeccompData.X64(Nr.Personality, 8)));
        Assert.Equal(Errno(1), Run(program, SeccompData.X64(Nr.Personality, 9)));
    }

    [Fact]
    public void Rules_for_one_syscall_are_tried_in_order_and_the_first_match_wins()
    {
        SpecSyscall deny = Rule("SCMP_ACT_ERRNO", "getpid");
        deny.ErrnoRet = 5;
        deny.Args = [new SpecSyscallArg { Index = 0, Value = 1, Op = "SCMP_CMP_EQ" }];
        SpecSyscall trap = Rule("SCMP_ACT_TRAP", "getpid");
        trap.Args = [new SpecSyscallArg { Index = 0, Value = 2, Op = "SCMP_CMP_EQ" }];
        byte[] program = Compile(Profile("SCMP_ACT_KILL_PROCESS", null, null, deny, trap, Rule("SCMP_ACT_ALLOW", "getpid"), Rule("SCMP_ACT_LOG", "getpid")));

        Assert.Equal(Errno(5), Run(program, SeccompData.X64(Nr.Getpid, 1)));
        Assert.Equal(RetTrap, Run(program, SeccompData.X64(Nr.Getpid, 2)));
        Assert.Equal(RetAllow, Run(program, SeccompData.X64(Nr.Getpid, 3)));
    }

    [Fact]
    public void A_rule_with_the_default_action_is_skipped_like_runc()
    {
        byte[] program = Compile(Profile("SCMP_ACT_ERRNO", null, null, Rule("SCMP_ACT_ERRNO", "getpid"), Rule("SCMP_ACT_ALLOW", "getpid")));

        Assert.Equal(RetAllow, Run(program, SeccompData.X64(Nr.Getpid)));
    }

    [Fact]
    public void Conditional_rules_that_do_not_match_fall_back_to_the_default()
    {
        SpecSyscall rule = Rule("SCMP_ACT_ALLOW", "socket");
        rule.Args = [new SpecSyscallArg { Index = 0, Value = 38, Op = "SCMP_CMP_LT" }];
        byte[] program = Compile(Profile("SCMP_ACT_ERRNO", null, null, rule));

        Assert.Equal(RetAllow, Run(program, SeccompData.X64(Nr.Socket, 2)));
        Assert.Equal(Errno(1), Run(program, SeccompData.X64(Nr.Socket, 40)));
    }

    [Fact]
    public void A_foreign_architecture_is_killed()
    {
        byte[] program = Compile(Profile("SCMP_ACT_ALLOW", null, null));

        Assert.Equal(RetAllow, Run(program, SeccompData.X64(Nr.Getpid)));
        Assert.Equal(RetKillProcess, Run(program, SeccompData.X86(Nr.I386Getpid)));
        Assert.Equal(RetKillProcess, Run(program, new SeccompData(Nr.Getpid, SeccompData.Aarch64)));
        Assert.Equal(RetKillProcess, Run(program, new SeccompData(Nr.Getpid, 0xDEADBEEF)));
    }

    [Fact]
    public void The_native_architecture_is_always_in_the_filter()
    {
        byte[] program = Compile(Profile("SCMP_ACT_ERRNO", null, ["SCMP_ARCH_X86"], Rule("SCMP_ACT_ALLOW", "getpid")));

        Assert.Equal(RetAllow, Run(program, SeccompData.X64(Nr.Getpid)));
        Assert.Equal(RetAllow, Run(program, SeccompData.X86(Nr.I386Getpid)));
    }

    [Fact]
    public void X32_syscalls_are_a_foreign_abi_unless_SCMP_ARCH_X32_is_listed()
    {
        SpecSeccomp profile = Profile("SCMP_ACT_ALLOW", null, ["SCMP_ARCH_X86_64"], Rule("SCMP_ACT_ERRNO", "mount"));

        byte[] program = Compile(profile);

        Assert.Equal(RetAllow, Run(program, SeccompData.X64(Nr.Read)));
        Assert.Equal(Errno(1), Run(program, SeccompData.X64(Nr.Mount)));
        Assert.Equal(RetKillProcess, Run(program, SeccompData.X32(Nr.Read)));
        Assert.Equal(RetKillProcess, Run(program, SeccompData.X32(Nr.Mount)));
        Assert.Equal(RetKillProcess, Run(program, SeccompData.X64(0xFFFFFFFF)));
    }

    [Fact]
    public void X32_syscalls_use_the_x32_table_when_listed()
    {
        byte[] program = Compile(Profile("SCMP_ACT_ERRNO", null, X86Family, Rule("SCMP_ACT_ALLOW", "read", "rt_sigaction", "execve")));

        Assert.Equal(RetAllow, Run(program, SeccompData.X32(Nr.Read)));
        Assert.Equal(RetAllow, Run(program, SeccompData.X32(Nr.X32RtSigaction)));
        Assert.Equal(RetAllow, Run(program, SeccompData.X32(Nr.X32Execve)));
        Assert.Equal(Errno(1), Run(program, SeccompData.X32(Nr.RtSigaction)));   // 13 is x86_64-only
        Assert.Equal(RetAllow, Run(program, SeccompData.X64(Nr.RtSigaction)));
        Assert.Equal(Errno(38), Run(program, SeccompData.X64(Nr.X32RtSigaction)));   // above x86_64's highest named
    }

    [Fact]
    public void I386_names_resolve_in_the_i386_table_only()
    {
        byte[] program = Compile(Profile("SCMP_ACT_ERRNO", null, X86Family, Rule("SCMP_ACT_ALLOW", "chown32", "read")));

        Assert.Equal(RetAllow, Run(program, SeccompData.X86(Nr.I386Chown32)));
        Assert.Equal(RetAllow, Run(program, SeccompData.X86(Nr.I386Read)));
        Assert.Equal(Errno(1), Run(program, SeccompData.X86(Nr.Read)));          // 0 is restart_syscall on i386
        Assert.Equal(Errno(1), Run(program, SeccompData.X64(Nr.I386Chown32)));   // 212 is lookup_dcookie on x86_64
        Assert.Equal(RetAllow, Run(program, SeccompData.X64(Nr.Read)));
    }

    [Fact]
    public void I386_arguments_compare_as_32_bit_values()
    {
        SpecSyscall rule = Rule("SCMP_ACT_ALLOW", "personality");
        rule.Args = [new SpecSyscallArg { Index = 0, Value = ulong.MaxValue, Op = "SCMP_CMP_EQ" }];
        byte[] program = Compile(Profile("SCMP_ACT_ERRNO", null, X86Family, rule));

        Assert.Equal(RetAllow, Run(program, SeccompData.X86(136, 0xFFFFFFFF)));   // personality is 136 on i386
        Assert.Equal(Errno(1), Run(program, SeccompData.X64(Nr.Personality, 0xFFFFFFFF)));
        Assert.Equal(RetAllow, Run(program, SeccompData.X64(Nr.Personality, ulong.MaxValue)));
    }

    [Fact]
    public void Unknown_syscall_names_are_ignored_and_reported()
    {
        SpecSeccomp profile = Profile("SCMP_ACT_ERRNO", null, null, Rule("SCMP_ACT_ALLOW", "no_such_syscall", "read", "another_one"));

        byte[] program = Compile(profile);

        Assert.Equal(RetAllow, Run(program, SeccompData.X64(Nr.Read)));
        Assert.Equal(["no_such_syscall", "another_one"], SeccompCompiler.UnknownSyscalls(profile));
        Assert.Equal(Errno(1), Run(Compile(Profile("SCMP_ACT_ERRNO", null, null, Rule("SCMP_ACT_ALLOW", "no_such_syscall"))), SeccompData.X64(Nr.Read)));
    }

    [Fact]
    public void Names_known_only_on_other_abis_are_not_reported()
    {
        SpecSeccomp profile = Profile("SCMP_ACT_ERRNO", null, null, Rule("SCMP_ACT_ALLOW", "chown32", "_llseek", "arch_prctl"));

        Assert.Empty(SeccompCompiler.UnknownSyscalls(profile));
    }

    [Fact]
    public void Syscalls_newer_than_the_profile_get_ENOSYS_like_runc()
    {
        byte[] program = Compile(Profile("SCMP_ACT_ERRNO", null, X86Family, Rule("SCMP_ACT_ALLOW", "read", "mount", "socketcall")));

        Assert.Equal(RetAllow, Run(program, SeccompData.X64(Nr.Mount)));
        Assert.Equal(Errno(1), Run(program, SeccompData.X64(Nr.Mount - 1)));
        Assert.Equal(Errno(38), Run(program, SeccompData.X64(Nr.Umount2)));
        Assert.Equal(Errno(38), Run(program, SeccompData.X64(1000)));
        Assert.Equal(Errno(1), Run(program, SeccompData.X86(Nr.I386Socketcall - 1)));
        Assert.Equal(Errno(38), Run(program, SeccompData.X86(Nr.I386Socketcall + 1)));
        Assert.Equal(Errno(38), Run(program, SeccompData.X32(Nr.Umount2)));
    }

    [Theory]
    [InlineData("SCMP_ACT_ALLOW", null)]
    [InlineData("SCMP_ACT_LOG", null)]
    [InlineData("SCMP_ACT_TRACE", null)]
    [InlineData("SCMP_ACT_ERRNO", 38u)]
    public void No_ENOSYS_stub_when_the_default_is_permissive_or_already_ENOSYS(string defaultAction, uint? defaultErrno)
    {
        byte[] program = Compile(Profile(defaultAction, defaultErrno, null, Rule("SCMP_ACT_KILL", "read")));

        uint expected = SeccompActionValue(defaultAction, defaultErrno);
        Assert.Equal(expected, Run(program, SeccompData.X64(1000)));
    }

    [Fact]
    public void Long_programs_keep_every_jump_in_range()
    {
        // A conditional rule for each of Docker's ~360 allowed names makes a program far longer than a one-byte
        // jump can span.
        List<SpecSyscall> rules = [];
        foreach (string name in DefaultSeccompProfile.Create().Syscalls![0].Names)
        {
            SpecSyscall rule = Rule("SCMP_ACT_ALLOW", name);
            rule.Args = [new SpecSyscallArg { Index = 1, Value = 7, Op = "SCMP_CMP_EQ" }];
            rules.Add(rule);
        }

        rules.Add(Rule("SCMP_ACT_TRAP", "file_setattr"));
        byte[] program = Compile(Profile("SCMP_ACT_ERRNO", null, ["SCMP_ARCH_X86_64"], [.. rules]));

        Assert.True(Length(program) > 3 * 255, $"{Length(program)} instructions");
        Assert.Contains(Instructions(program), i => i.Code == 0x05);   // trampolines were needed
        foreach (SeccompData call in new[]
        {
            SeccompData.X64(Nr.Read), SeccompData.X64(Nr.Write), SeccompData.X64(Nr.Open), SeccompData.X64(Nr.Getpid),
            SeccompData.X64(Nr.Chown), SeccompData.X64(Nr.Fork), SeccompData.X64(Nr.RtSigaction),
        })
        {
            Assert.Equal(RetAllow, Run(program, call with { Args = [0, 7] }));
            Assert.Equal(Errno(1), Run(program, call with { Args = [0, 8] }));
            Assert.Equal(Errno(1), Run(program, call with { Args = [0, 0x1_0000_0007] }));
        }

        Assert.Equal(Errno(1), Run(program, SeccompData.X64(Nr.Mount, 0, 7)));
        Assert.Equal(RetTrap, Run(program, SeccompData.X64(Nr.FileSetattr)));
        Assert.Equal(RetKillProcess, Run(program, SeccompData.X32(Nr.FileSetattr)));
        Assert.Equal(RetKillProcess, Run(program, SeccompData.X86(Nr.FileSetattr)));
    }

    [Fact]
    public void Profiles_beyond_the_kernel_limit_are_refused_clearly()
    {
        List<SpecSyscall> rules = [];
        foreach (string name in DefaultSeccompProfile.Create().Syscalls![0].Names)
        {
            SpecSyscall rule = Rule("SCMP_ACT_ALLOW", name);
            rule.Args = [new SpecSyscallArg { Index = 1, Value = 7, Op = "SCMP_CMP_EQ" }, new SpecSyscallArg { Index = 2, Value = 7, Op = "SCMP_CMP_EQ" }];
            rules.Add(rule);
        }

        var ex = Assert.Throws<BerthException>(() => Compile(Profile("SCMP_ACT_ERRNO", null, X86Family, [.. rules])));
        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("4096", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aarch64_has_its_own_section()
    {
        byte[] program = Compile(Profile("SCMP_ACT_ERRNO", null, ["SCMP_ARCH_AARCH64"], Rule("SCMP_ACT_ALLOW", "read", "getpid")));

        Assert.Equal(RetAllow, Run(program, new SeccompData(63, SeccompData.Aarch64)));    // read
        Assert.Equal(RetAllow, Run(program, new SeccompData(172, SeccompData.Aarch64)));   // getpid
        Assert.Equal(Errno(1), Run(program, new SeccompData(0, SeccompData.Aarch64)));     // io_setup
    }

    [Fact]
    public void Other_known_architectures_are_accepted_and_add_no_section()
    {
        byte[] program = Compile(Profile("SCMP_ACT_ALLOW", null, ["SCMP_ARCH_ARM", "SCMP_ARCH_S390X", "SCMP_ARCH_PPC64LE"]));

        Assert.Equal(RetAllow, Run(program, SeccompData.X64(Nr.Read)));
        Assert.Equal(RetKillProcess, Run(program, new SeccompData(3, 0x40000028)));   // AUDIT_ARCH_ARM
    }

    [Theory]
    [InlineData(null, 0u)]
    [InlineData(new string[0], 0u)]
    [InlineData(new[] { "SECCOMP_FILTER_FLAG_TSYNC" }, 1u)]
    [InlineData(new[] { "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW" }, 6u)]
    [InlineData(new[] { "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW" }, 7u)]
    public void Flags_map_to_seccomp_filter_flags(string[]? flags, uint expected)
    {
        SpecSeccomp profile = Profile("SCMP_ACT_ALLOW", null, null);
        profile.Flags = flags?.ToList();

        Assert.Equal(expected, SeccompCompiler.FilterFlags(profile));
    }

    [Fact]
    public void Unknown_flags_are_invalid()
    {
        SpecSeccomp profile = Profile("SCMP_ACT_ALLOW", null, null);
        profile.Flags = ["SECCOMP_FILTER_FLAG_NEW_LISTENER"];

        var ex = Assert.Throws<BerthException>(() => SeccompCompiler.FilterFlags(profile));
        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("SECCOMP_FILTER_FLAG_NEW_LISTENER", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_profiles_are_invalid_arguments()
    {
        SpecSyscall badIndex = Rule("SCMP_ACT_ALLOW", "read");
        badIndex.Args = [new SpecSyscallArg { Index = 6, Value = 1, Op = "SCMP_CMP_EQ" }];
        SpecSyscall badOp = Rule("SCMP_ACT_ALLOW", "read");
        badOp.Args = [new SpecSyscallArg { Index = 0, Value = 1, Op = "SCMP_CMP_ALMOST" }];
        SpecSyscall errnoOnAllow = Rule("SCMP_ACT_ALLOW", "read");
        errnoOnAllow.ErrnoRet = 1;
        SpecSyscall hugeErrno = Rule("SCMP_ACT_ERRNO", "read");
        hugeErrno.ErrnoRet = 70000;

        Assert.Equal(ErrorKind.InvalidArgument, Refused(Profile("SCMP_ACT_ERRNO", null, null, badIndex)));
        Assert.Equal(ErrorKind.InvalidArgument, Refused(Profile("SCMP_ACT_ERRNO", null, null, badOp)));
        Assert.Equal(ErrorKind.InvalidArgument, Refused(Profile("SCMP_ACT_ERRNO", null, null, errnoOnAllow)));
        Assert.Equal(ErrorKind.InvalidArgument, Refused(Profile("SCMP_ACT_ALLOW", null, null, hugeErrno)));
        Assert.Equal(ErrorKind.InvalidArgument, Refused(Profile("SCMP_ACT_ALLOW", null, null, Rule("SCMP_ACT_PERMIT", "read"))));
        Assert.Equal(ErrorKind.InvalidArgument, Refused(Profile("", null, null)));
        Assert.Equal(ErrorKind.InvalidArgument, Refused(Profile("SCMP_ACT_ALLOW", 1, null)));
        Assert.Equal(ErrorKind.InvalidArgument, Refused(Profile("SCMP_ACT_ALLOW", null, ["SCMP_ARCH_Z80"])));
    }

    [Fact]
    public void Output_is_deterministic_and_serialized_as_sock_filter()
    {
        SpecSeccomp profile = Profile("SCMP_ACT_ERRNO", null, X86Family, Rule("SCMP_ACT_ALLOW", "read"));

        byte[] program = Compile(profile);

        Assert.Equal(program, Compile(profile));
        // The first instruction loads seccomp_data.arch: BPF_LD|BPF_W|BPF_ABS, jt 0, jf 0, k 4.
        Assert.Equal(new byte[] { 0x20, 0, 0, 0, 4, 0, 0, 0 }, program[..8]);
    }

    internal static byte[] Compile(SpecSeccomp profile) => SeccompCompiler.Compile(profile);

    internal static SpecSeccomp Profile(string defaultAction, uint? defaultErrno, string[]? architectures, params SpecSyscall[] syscalls) => new()
    {
        DefaultAction = defaultAction,
        DefaultErrnoRet = defaultErrno,
        Architectures = architectures?.ToList(),
        Syscalls = [.. syscalls],
    };

    internal static SpecSyscall Rule(string action, params string[] names) => new() { Names = [.. names], Action = action };

    private static ErrorKind Refused(SpecSeccomp profile) => Assert.Throws<BerthException>(() => SeccompCompiler.Compile(profile)).Kind;

    private static uint SeccompActionValue(string action, uint? errno) => action switch
    {
        "SCMP_ACT_ALLOW" => RetAllow,
        "SCMP_ACT_LOG" => RetLog,
        "SCMP_ACT_TRACE" => RetTrace | (errno ?? 1),
        _ => RetErrno | (errno ?? 1),
    };
}
