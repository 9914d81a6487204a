using System.Runtime.InteropServices;
using Berth.Core.Errors;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Seccomp;

/// <summary>
/// Compiles a runtime-spec <c>linux.seccomp</c> profile to a classic-BPF seccomp filter, in C# and without
/// libseccomp, with the semantics runc (runc 1.1 + libseccomp 2.5) gives the same profile:
/// <list type="bullet">
/// <item>Architecture check first. The native ABI is always in the filter (libseccomp's filters start with it)
/// plus each listed SCMP_ARCH_*: X86_64, X32, X86 and AARCH64 have syscall tables. Other valid SCMP_ARCH_* names
/// (ARM, MIPS*, PPC*, S390*, RISCV64, LOONGARCH64) are accepted and ignored: no such ABI can enter an x86-64
/// kernel, and on others their callers meet the bad-arch action, which never allows more than runc would. A
/// syscall from an architecture not in the filter gets SECCOMP_RET_KILL_PROCESS (libseccomp's bad-arch action,
/// as a process kill).</item>
/// <item>x32 guard: x86_64 and x32 share AUDIT_ARCH_X86_64; numbers with bit 0x40000000 are x32. When
/// SCMP_ARCH_X32 is not listed they are treated as a foreign architecture (bad-arch action), exactly what
/// libseccomp's "filter out x32" check does; when it is, they are matched against the x32 table.</item>
/// <item>Names are resolved per ABI: a rule applies on every ABI whose table knows the name (so "chown32" rules
/// only the i386 section). A name no table knows is ignored, as runc does with names libseccomp does not know (it
/// logs at debug level); <see cref="UnknownSyscalls"/> lists them for the caller to log.</item>
/// <item>ERRNO (and TRACE) without errnoRet return EPERM, like runc. A rule whose action and errno equal the
/// default action's is skipped, as runc skips it (libseccomp refuses such rules).</item>
/// <item>Arguments are compared as unsigned 64-bit values (high word, then low word); on the 32-bit i386 ABI only
/// the low word, with the rule's values truncated to 32 bits, as libseccomp does for 32-bit architectures. The
/// conditions of one rule are ANDed, except that a rule naming the same argument index twice is split into one
/// rule per condition (ORed), which is runc's documented fallback for that case.</item>
/// <item>Several rules for one syscall are tried in profile order and the first whose conditions all hold
/// decides; a syscall no rule matches gets the default action. libseccomp merges rules into one decision tree
/// instead; for profiles whose rules for one syscall share an action or cannot overlap (Docker's, and what runc
/// accepts without error) the outcome is the same, and an order is the simplest rule to state for the rest.</item>
/// <item>runc's -ENOSYS stub: unless the default action is ALLOW, LOG or TRACE or the default errno is already
/// ENOSYS, a syscall numbered above the highest number the profile names on that ABI returns ENOSYS, so a
/// program probing a syscall newer than the profile falls back instead of failing with EPERM.</item>
/// </list>
/// The program is laid out as a binary search over syscall numbers per ABI; conditional jumps longer than 255
/// instructions go through BPF_JA trampolines (see <see cref="BpfAssembler"/>).
/// </summary>
public static class SeccompCompiler
{
    public const uint FlagTsync = 1, FlagLog = 2, FlagSpecAllow = 4;

    /// <summary>SCMP_ACT_* names the compiler accepts (not SCMP_ACT_NOTIFY).</summary>
    public static IReadOnlyList<string> SupportedActions => SeccompActions.Supported;

    /// <summary>SCMP_CMP_* operators the compiler accepts.</summary>
    public static IReadOnlyList<string> SupportedOperators => SeccompActions.Operators;

    /// <summary>SECCOMP_FILTER_FLAG_* names the compiler maps (runc's set).</summary>
    public static readonly IReadOnlyList<string> KnownFlags =
        ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"];

    /// <summary>The SCMP_ARCH_* names the compiler builds filter sections for.</summary>
    public static readonly IReadOnlyList<string> SupportedArchitectures =
        ["SCMP_ARCH_AARCH64", "SCMP_ARCH_X32", "SCMP_ARCH_X86", "SCMP_ARCH_X86_64"];

    private static readonly HashSet<string> IgnoredArchitectures = new(StringComparer.Ordinal)
    {
        "SCMP_ARCH_ARM", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL",
        "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE",
        "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64",
        "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB",
    };

    /// <summary>
    /// The filter as struct sock_filter[] bytes (8 per instruction: u16 code, u8 jt, u8 jf, u32 k, little-endian),
    /// ready for <c>SpawnOps.Seccomp</c> with <see cref="FilterFlags"/>.
    /// </summary>
    /// <exception cref="BerthException">InvalidArgument for a malformed profile; NotImplemented for
    /// SCMP_ACT_NOTIFY or a host architecture without a syscall table.</exception>
    public static byte[] Compile(SpecSeccomp profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return Compile(profile, NativeAbi());
    }

    /// <summary>The seccomp(2) SECCOMP_SET_MODE_FILTER flags the profile's <c>flags</c> ask for.</summary>
    public static uint FilterFlags(SpecSeccomp profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        uint flags = 0;
        foreach (string flag in profile.Flags ?? [])
        {
            flags |= flag switch
            {
                "SECCOMP_FILTER_FLAG_TSYNC" => FlagTsync,
                "SECCOMP_FILTER_FLAG_LOG" => FlagLog,
                "SECCOMP_FILTER_FLAG_SPEC_ALLOW" => FlagSpecAllow,
                _ => throw Errors.InvalidArgument($"seccomp: unknown or unsupported flag \"{flag}\""),
            };
        }

        return flags;
    }

    /// <summary>Syscall names in the profile that no table knows; <see cref="Compile(SpecSeccomp)"/> ignores
    /// them (runc logs them at debug level). libseccomp also knows names of architectures we have no table for
    /// (recv/send on arm, riscv_hwprobe), so this list can be longer than runc's; either way they match nothing here.</summary>
    public static IReadOnlyList<string> UnknownSyscalls(SpecSeccomp profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return [.. (profile.Syscalls ?? []).SelectMany(s => s.Names).Where(n => !SyscallTable.IsKnown(n)).Distinct(StringComparer.Ordinal)];
    }

    /// <param name="mergeRuns">False checks every syscall number on its own: the plain layout, which tests compare
    /// the merged one against.</param>
    internal static byte[] Compile(SpecSeccomp profile, SeccompAbi native, bool mergeRuns = true)
    {
        uint defaultReturn = SeccompActions.Return(profile.DefaultAction, profile.DefaultErrnoRet, "defaultAction");
        List<SeccompAbi> abis = ResolveAbis(profile.Architectures, native);
        (List<string> names, Dictionary<string, List<SeccompRule>> rules) = ResolveRules(profile, defaultReturn);
        bool enosysStub = EnosysStub(profile, defaultReturn);

        var asm = new BpfAssembler();
        var badArch = new BpfLabel();
        bool badArchUsed = false;
        List<IGrouping<uint, SeccompAbi>> sections = [.. abis.GroupBy(a => a.AuditArch)];
        var sectionLabels = sections.Select(_ => new BpfLabel()).ToArray();

        asm.LoadWord(Bpf.OffsetArch);
        for (int i = 0; i < sections.Count; i++)
        {
            asm.JumpIf(Bpf.Jeq, sections[i].Key, sectionLabels[i], null);
        }

        asm.Return(Bpf.RetKillProcess);

        for (int i = 0; i < sections.Count; i++)
        {
            asm.Bind(sectionLabels[i]);
            asm.LoadWord(Bpf.OffsetNr);
            if (sections[i].Key == SeccompAbi.AuditArchX86_64)
            {
                bool x64 = sections[i].Contains(SeccompAbi.X86_64), x32 = sections[i].Contains(SeccompAbi.X32);
                if (x64 && x32)
                {
                    var x32Body = new BpfLabel();
                    asm.JumpIf(Bpf.Jge, SeccompAbi.X32SyscallBit, x32Body, null);
                    EmitAbi(asm, SeccompAbi.X86_64, names, rules, defaultReturn, enosysStub, mergeRuns);
                    asm.Bind(x32Body);
                    EmitAbi(asm, SeccompAbi.X32, names, rules, defaultReturn, enosysStub, mergeRuns);
                }
                else
                {
                    // The x32 guard: the other half of the number space is a foreign ABI here.
                    badArchUsed = true;
                    asm.JumpIf(Bpf.Jge, SeccompAbi.X32SyscallBit, x64 ? badArch : null, x64 ? null : badArch);
                    EmitAbi(asm, x64 ? SeccompAbi.X86_64 : SeccompAbi.X32, names, rules, defaultReturn, enosysStub, mergeRuns);
                }
            }
            else
            {
                EmitAbi(asm, sections[i].Single(), names, rules, defaultReturn, enosysStub, mergeRuns);
            }
        }

        if (badArchUsed)
        {
            asm.Bind(badArch);
            asm.Return(Bpf.RetKillProcess);
        }

        return asm.Assemble();
    }

    private static SeccompAbi NativeAbi() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => SeccompAbi.X86_64,
        Architecture.Arm64 => SeccompAbi.Aarch64,
        var other => throw Errors.NotImplemented($"seccomp: no syscall table for the host architecture {other}"),
    };

    private static List<SeccompAbi> ResolveAbis(List<string>? architectures, SeccompAbi native)
    {
        List<SeccompAbi> abis = [native];
        foreach (string arch in architectures ?? [])
        {
            SeccompAbi? abi = arch switch
            {
                "SCMP_ARCH_X86_64" => SeccompAbi.X86_64,
                "SCMP_ARCH_X32" => SeccompAbi.X32,
                "SCMP_ARCH_X86" => SeccompAbi.I386,
                "SCMP_ARCH_AARCH64" => SeccompAbi.Aarch64,
                _ when IgnoredArchitectures.Contains(arch) => null,
                _ => throw Errors.InvalidArgument($"seccomp: unknown architecture \"{arch}\""),
            };
            if (abi is not null && !abis.Contains(abi))
            {
                abis.Add(abi);
            }
        }

        return abis;
    }

    /// <summary>Rules per syscall name in profile order, plus every name the profile mentions (for the ENOSYS
    /// stub, which like runc counts rules that were skipped).</summary>
    private static (List<string> Names, Dictionary<string, List<SeccompRule>> Rules) ResolveRules(SpecSeccomp profile, uint defaultReturn)
    {
        List<string> names = [];
        var rules = new Dictionary<string, List<SeccompRule>>(StringComparer.Ordinal);
        List<SpecSyscall> syscalls = profile.Syscalls ?? [];
        for (int i = 0; i < syscalls.Count; i++)
        {
            SpecSyscall syscall = syscalls[i];
            string what = $"syscalls[{i}] ({string.Join(",", syscall.Names)})";
            uint ret = SeccompActions.Return(syscall.Action, syscall.ErrnoRet, what);
            List<SpecSyscallArg> args = syscall.Args ?? [];
            foreach (SpecSyscallArg arg in args)
            {
                if (arg.Index > 5)
                {
                    throw Errors.InvalidArgument($"seccomp: {what}: argument index {arg.Index} is out of range 0-5");
                }

                if (!SeccompActions.Operators.Contains(arg.Op))
                {
                    throw Errors.InvalidArgument($"seccomp: {what}: unknown operator \"{arg.Op}\"");
                }
            }

            names.AddRange(syscall.Names);
            if (ret == defaultReturn)
            {
                continue;
            }

            bool repeatedIndex = args.GroupBy(a => a.Index).Any(g => g.Count() > 1);
            IEnumerable<SeccompRule> expanded = repeatedIndex
                ? args.Select(a => new SeccompRule(ret, [a]))
                : [new SeccompRule(ret, args)];
            foreach (string name in syscall.Names)
            {
                if (!rules.TryGetValue(name, out List<SeccompRule>? list))
                {
                    rules[name] = list = [];
                }

                list.AddRange(expanded);
            }
        }

        return (names, rules);
    }

    private static bool EnosysStub(SpecSeccomp profile, uint defaultReturn)
    {
        uint action = defaultReturn & ~Bpf.RetData;
        bool permissive = action is Bpf.RetAllow or Bpf.RetLog or Bpf.RetTrace;
        return !permissive && profile.DefaultErrnoRet != Bpf.ENOSYS;
    }

    private static void EmitAbi(
        BpfAssembler asm, SeccompAbi abi, List<string> names, Dictionary<string, List<SeccompRule>> rules, uint defaultReturn, bool enosysStub,
        bool mergeRuns)
    {
        // Accumulator: seccomp_data.nr.
        List<(uint Nr, List<SeccompRule> Rules)> entries = [];
        foreach ((string name, List<SeccompRule> list) in rules)
        {
            if (abi.TryGetNumber(name, out uint nr))
            {
                entries.Add((nr, list));
            }
        }

        entries.Sort((a, b) => a.Nr.CompareTo(b.Nr));

        uint highest = 0;
        foreach (string name in names)
        {
            if (abi.TryGetNumber(name, out uint nr))
            {
                highest = Math.Max(highest, nr);
            }
        }

        if (enosysStub && highest != 0)
        {
            var known = new BpfLabel();
            asm.JumpIf(Bpf.Jgt, highest, null, known);
            asm.Return(Bpf.RetErrno | Bpf.ENOSYS);
            asm.Bind(known);
        }

        // Neighbouring numbers that one unconditional action decides are one range: Docker's profile allows long runs
        // of syscalls, and a third as many checks makes the filter load (and every syscall's walk) cheaper.
        List<SyscallRun> runs = [];
        foreach ((uint nr, List<SeccompRule> list) in entries)
        {
            if (mergeRuns && runs.Count > 0 && runs[^1].Last + 1 == nr
                && UnconditionalReturn(runs[^1].Rules) is { } action && UnconditionalReturn(list) == action)
            {
                runs[^1] = runs[^1] with { Last = nr };
            }
            else
            {
                runs.Add(new SyscallRun(nr, nr, list));
            }
        }

        EmitSearch(asm, abi, runs, 0, runs.Count, defaultReturn);
    }

    /// <summary>The action of a rule list whose first rule always matches (so it decides alone); null otherwise.</summary>
    private static uint? UnconditionalReturn(List<SeccompRule> rules) =>
        rules.Count > 0 && rules[0].Conditions.Count == 0 ? rules[0].Return : null;

    /// <summary>A binary search over the sorted runs in [lo, hi); a few runs are compared one by one.</summary>
    private static void EmitSearch(BpfAssembler asm, SeccompAbi abi, List<SyscallRun> runs, int lo, int hi, uint defaultReturn)
    {
        const int Linear = 4;
        if (hi - lo <= Linear)
        {
            var miss = new BpfLabel();
            for (int i = lo; i < hi; i++)
            {
                var next = new BpfLabel();
                if (runs[i].First == runs[i].Last)
                {
                    asm.JumpIf(Bpf.Jeq, runs[i].First, null, next);
                }
                else
                {
                    // Below this run's first number (and above the previous run) is a gap: nothing later matches.
                    asm.JumpIf(Bpf.Jgt, runs[i].Last, next, null);
                    asm.JumpIf(Bpf.Jge, runs[i].First, null, miss);
                }

                EmitRules(asm, abi, runs[i].Rules, defaultReturn);
                asm.Bind(next);
            }

            asm.Bind(miss);
            asm.Return(defaultReturn);
            return;
        }

        int mid = lo + ((hi - lo) / 2);
        var upper = new BpfLabel();
        asm.JumpIf(Bpf.Jge, runs[mid].First, upper, null);
        EmitSearch(asm, abi, runs, lo, mid, defaultReturn);
        asm.Bind(upper);
        EmitSearch(asm, abi, runs, mid, hi, defaultReturn);
    }

    /// <summary>One syscall's rules in order; every path ends in a return, so the accumulator may be clobbered.</summary>
    private static void EmitRules(BpfAssembler asm, SeccompAbi abi, List<SeccompRule> rules, uint defaultReturn)
    {
        foreach (SeccompRule rule in rules)
        {
            if (rule.Conditions.Count == 0)
            {
                asm.Return(rule.Return);
                return;   // later rules for this syscall can never match
            }

            var fail = new BpfLabel();
            foreach (SpecSyscallArg condition in rule.Conditions)
            {
                EmitCondition(asm, condition, abi.WideArgs, fail);
            }

            asm.Return(rule.Return);
            asm.Bind(fail);
        }

        asm.Return(defaultReturn);
    }

    /// <summary>Falls through when the condition holds, jumps to <paramref name="fail"/> otherwise. BPF jumps
    /// compare unsigned, like libseccomp's SCMP_CMP_* on scmp_datum_t.</summary>
    private static void EmitCondition(BpfAssembler asm, SpecSyscallArg condition, bool wide, BpfLabel fail)
    {
        uint low = Bpf.OffsetArgs + (8 * condition.Index), high = low + 4;   // args[i] in little-endian words
        uint valueLow = (uint)condition.Value, valueHigh = (uint)(condition.Value >> 32);
        uint twoLow = (uint)condition.ValueTwo, twoHigh = (uint)(condition.ValueTwo >> 32);
        var pass = new BpfLabel();

        if (wide)
        {
            asm.LoadWord(high);
            switch (condition.Op)
            {
                case "SCMP_CMP_EQ":
                    asm.JumpIf(Bpf.Jeq, valueHigh, null, fail);
                    asm.LoadWord(low);
                    asm.JumpIf(Bpf.Jeq, valueLow, pass, fail);
                    break;
                case "SCMP_CMP_NE":
                    asm.JumpIf(Bpf.Jeq, valueHigh, null, pass);
                    asm.LoadWord(low);
                    asm.JumpIf(Bpf.Jeq, valueLow, fail, pass);
                    break;
                case "SCMP_CMP_GT" or "SCMP_CMP_GE":
                    asm.JumpIf(Bpf.Jgt, valueHigh, pass, null);
                    asm.JumpIf(Bpf.Jeq, valueHigh, null, fail);
                    asm.LoadWord(low);
                    asm.JumpIf(condition.Op == "SCMP_CMP_GT" ? Bpf.Jgt : Bpf.Jge, valueLow, pass, fail);
                    break;
                case "SCMP_CMP_LT" or "SCMP_CMP_LE":
                    asm.JumpIf(Bpf.Jgt, valueHigh, fail, null);
                    asm.JumpIf(Bpf.Jeq, valueHigh, null, pass);
                    asm.LoadWord(low);
                    asm.JumpIf(condition.Op == "SCMP_CMP_LT" ? Bpf.Jge : Bpf.Jgt, valueLow, fail, pass);
                    break;
                case "SCMP_CMP_MASKED_EQ":
                    asm.AndConstant(valueHigh);
                    asm.JumpIf(Bpf.Jeq, twoHigh, null, fail);
                    asm.LoadWord(low);
                    asm.AndConstant(valueLow);
                    asm.JumpIf(Bpf.Jeq, twoLow, pass, fail);
                    break;
                default:
                    throw Errors.InvalidArgument($"seccomp: unknown operator \"{condition.Op}\"");
            }
        }
        else
        {
            asm.LoadWord(low);
            switch (condition.Op)
            {
                case "SCMP_CMP_EQ": asm.JumpIf(Bpf.Jeq, valueLow, pass, fail); break;
                case "SCMP_CMP_NE": asm.JumpIf(Bpf.Jeq, valueLow, fail, pass); break;
                case "SCMP_CMP_GT": asm.JumpIf(Bpf.Jgt, valueLow, pass, fail); break;
                case "SCMP_CMP_GE": asm.JumpIf(Bpf.Jge, valueLow, pass, fail); break;
                case "SCMP_CMP_LT": asm.JumpIf(Bpf.Jge, valueLow, fail, pass); break;
                case "SCMP_CMP_LE": asm.JumpIf(Bpf.Jgt, valueLow, fail, pass); break;
                case "SCMP_CMP_MASKED_EQ":
                    asm.AndConstant(valueLow);
                    asm.JumpIf(Bpf.Jeq, twoLow, pass, fail);
                    break;
                default:
                    throw Errors.InvalidArgument($"seccomp: unknown operator \"{condition.Op}\"");
            }
        }

        asm.Bind(pass);
    }
}
