using Berth.Runtime.Spec;

namespace Berth.Runtime.Seccomp;

/// <summary>
/// The seccomp profile berth-runtime ships for x86-64 hosts: equal in effect to Docker's default profile
/// (moby profiles/seccomp, the generated default.json) as Docker renders it for one container on amd64.
/// Docker's include/exclude filters are resolved here: groups for other architectures (arm, ppc64le, s390x,
/// riscv64) are left out, the x86 ones (arch_prctl, modify_ldt) are in, the kernel ≥ 4.8 group is in (every kernel
/// this runtime supports is newer), and the capability-gated groups are in when <c>capabilities</c> (the
/// container's bounding set, as Docker uses it) holds the capability.
/// </summary>
public static class DefaultSeccompProfile
{
    private const uint EPERM = 1, ENOSYS = 38;

    // AF_ALG (38) and AF_VSOCK (40) are refused to socket(2); 39 (AF_NFC) between them is allowed.
    private const ulong AfAlg = 38, AfVsock = 40;

    // CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET.
    private const ulong CloneNamespaceFlags = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000;

    /// <summary>Allowed to every container.</summary>
    private static readonly string[] Allowed =
    [
        "accept", "accept4", "access", "adjtimex", "alarm", "bind", "brk", "cachestat", "capget", "capset", "chdir",
        "chmod", "chown", "chown32", "clock_adjtime", "clock_adjtime64", "clock_getres", "clock_getres_time64",
        "clock_gettime", "clock_gettime64", "clock_nanosleep", "clock_nanosleep_time64", "close", "close_range",
        "connect", "copy_file_range", "creat", "dup", "dup2", "dup3", "epoll_create", "epoll_create1", "epoll_ctl",
        "epoll_ctl_old", "epoll_pwait", "epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd", "eventfd2",
        "execve", "execveat", "exit", "exit_group", "faccessat", "faccessat2", "fadvise64", "fadvise64_64",
        "fallocate", "fanotify_mark", "fchdir", "fchmod", "fchmodat", "fchmodat2", "fchown", "fchown32", "fchownat",
        "fcntl", "fcntl64", "fdatasync", "fgetxattr", "flistxattr", "flock", "fork", "fremovexattr", "fsetxattr",
        "fstat", "fstat64", "fstatat64", "fstatfs", "fstatfs64", "fsync", "ftruncate", "ftruncate64", "futex",
        "futex_requeue", "futex_time64", "futex_wait", "futex_waitv", "futex_wake", "futimesat", "getcpu", "getcwd",
        "getdents", "getdents64", "getegid", "getegid32", "geteuid", "geteuid32", "getgid", "getgid32", "getgroups",
        "getgroups32", "getitimer", "getpeername", "getpgid", "getpgrp", "getpid", "getppid", "getpriority",
        "getrandom", "getresgid", "getresgid32", "getresuid", "getresuid32", "getrlimit", "get_robust_list",
        "getrusage", "getsid", "getsockname", "getsockopt", "get_thread_area", "gettid", "gettimeofday", "getuid",
        "getuid32", "getxattr", "getxattrat", "inotify_add_watch", "inotify_init", "inotify_init1",
        "inotify_rm_watch", "io_cancel", "ioctl", "io_destroy", "io_getevents", "io_pgetevents",
        "io_pgetevents_time64", "ioprio_get", "ioprio_set", "io_setup", "io_submit", "ipc", "kill",
        "landlock_add_rule", "landlock_create_ruleset", "landlock_restrict_self", "lchown", "lchown32", "lgetxattr",
        "link", "linkat", "listen", "listmount", "listxattr", "listxattrat", "llistxattr", "_llseek", "lremovexattr",
        "lseek", "lsetxattr", "lstat", "lstat64", "madvise", "map_shadow_stack", "membarrier", "memfd_create",
        "memfd_secret", "mincore", "mkdir", "mkdirat", "mknod", "mknodat", "mlock", "mlock2", "mlockall", "mmap",
        "mmap2", "mprotect", "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive", "mq_timedreceive_time64",
        "mq_timedsend", "mq_timedsend_time64", "mq_unlink", "mremap", "mseal", "msgctl", "msgget", "msgrcv",
        "msgsnd", "msync", "munlock", "munlockall", "munmap", "name_to_handle_at", "nanosleep", "newfstatat",
        "_newselect", "open", "openat", "openat2", "pause", "pidfd_open", "pidfd_send_signal", "pipe", "pipe2",
        "pkey_alloc", "pkey_free", "pkey_mprotect", "poll", "ppoll", "ppoll_time64", "prctl", "pread64", "preadv",
        "preadv2", "prlimit64", "process_mrelease", "pselect6", "pselect6_time64", "pwrite64", "pwritev", "pwritev2",
        "read", "readahead", "readlink", "readlinkat", "readv", "recv", "recvfrom", "recvmmsg", "recvmmsg_time64",
        "recvmsg", "remap_file_pages", "removexattr", "removexattrat", "rename", "renameat", "renameat2",
        "restart_syscall", "riscv_hwprobe", "rmdir", "rseq", "rt_sigaction", "rt_sigpending", "rt_sigprocmask",
        "rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait", "rt_sigtimedwait_time64",
        "rt_tgsigqueueinfo", "sched_getaffinity", "sched_getattr", "sched_getparam", "sched_get_priority_max",
        "sched_get_priority_min", "sched_getscheduler", "sched_rr_get_interval", "sched_rr_get_interval_time64",
        "sched_setaffinity", "sched_setattr", "sched_setparam", "sched_setscheduler", "sched_yield", "seccomp",
        "select", "semctl", "semget", "semop", "semtimedop", "semtimedop_time64", "send", "sendfile", "sendfile64",
        "sendmmsg", "sendmsg", "sendto", "setfsgid", "setfsgid32", "setfsuid", "setfsuid32", "setgid", "setgid32",
        "setgroups", "setgroups32", "setitimer", "setpgid", "setpriority", "setregid", "setregid32", "setresgid",
        "setresgid32", "setresuid", "setresuid32", "setreuid", "setreuid32", "setrlimit", "set_robust_list",
        "setsid", "setsockopt", "set_thread_area", "set_tid_address", "setuid", "setuid32", "setxattr", "setxattrat",
        "shmat", "shmctl", "shmdt", "shmget", "shutdown", "sigaltstack", "signalfd", "signalfd4", "sigprocmask",
        "sigreturn", "socketcall", "socketpair", "splice", "stat", "stat64", "statfs", "statfs64", "statmount",
        "statx", "symlink", "symlinkat", "sync", "sync_file_range", "syncfs", "sysinfo", "tee", "tgkill", "time",
        "timer_create", "timer_delete", "timer_getoverrun", "timer_gettime", "timer_gettime64", "timer_settime",
        "timer_settime64", "timerfd_create", "timerfd_gettime", "timerfd_gettime64", "timerfd_settime",
        "timerfd_settime64", "times", "tkill", "truncate", "truncate64", "ugetrlimit", "umask", "uname", "unlink",
        "unlinkat", "uretprobe", "utime", "utimensat", "utimensat_time64", "utimes", "vfork", "vmsplice", "wait4",
        "waitid", "waitpid", "write", "writev",
    ];

    /// <summary>The profile for a container whose bounding set is <paramref name="capabilities"/> (none when
    /// null). A fresh object graph per call.</summary>
    public static SpecSeccomp Create(IReadOnlyCollection<string>? capabilities = null)
    {
        bool Has(string cap) => capabilities?.Contains(cap, StringComparer.Ordinal) == true;

        List<SpecSyscall> syscalls =
        [
            Allow(Allowed),

            // Kernel >= 4.8: ptrace can no longer be used to bypass seccomp, so Docker allows it.
            Allow("process_vm_readv", "process_vm_writev", "ptrace"),

            // socket(2) for every address family except AF_ALG and AF_VSOCK.
            AllowIf("socket", Arg(0, AfAlg, "SCMP_CMP_LT")),
            AllowIf("socket", Arg(0, AfAlg + 1, "SCMP_CMP_EQ")),
            AllowIf("socket", Arg(0, AfVsock, "SCMP_CMP_GT")),

            // personality(2) only for PER_LINUX, PER_LINUX32, UNAME26 variants and the query value.
            AllowIf("personality", Arg(0, 0x0, "SCMP_CMP_EQ")),
            AllowIf("personality", Arg(0, 0x0008, "SCMP_CMP_EQ")),
            AllowIf("personality", Arg(0, 0x20000, "SCMP_CMP_EQ")),
            AllowIf("personality", Arg(0, 0x20008, "SCMP_CMP_EQ")),
            AllowIf("personality", Arg(0, 0xffffffff, "SCMP_CMP_EQ")),

            // x86 only.
            Allow("arch_prctl"),
            Allow("modify_ldt"),
        ];

        if (Has("CAP_DAC_READ_SEARCH"))
        {
            syscalls.Add(Allow("open_by_handle_at"));
        }

        if (Has("CAP_SYS_ADMIN"))
        {
            syscalls.Add(Allow(
                "bpf", "clone", "clone3", "fanotify_init", "fsconfig", "fsmount", "fsopen", "fspick", "lookup_dcookie",
                "lsm_get_self_attr", "lsm_list_modules", "lsm_set_self_attr", "mount", "mount_setattr", "move_mount",
                "open_tree", "perf_event_open", "quotactl", "quotactl_fd", "setdomainname", "sethostname", "setns",
                "syslog", "umount", "umount2", "unshare"));
        }
        else
        {
            // clone(2) without namespace flags; clone3 hides its flags in memory seccomp cannot read, so it gets
            // ENOSYS and glibc falls back to clone.
            syscalls.Add(new SpecSyscall
            {
                Names = ["clone"],
                Action = "SCMP_ACT_ALLOW",
                Args = [new SpecSyscallArg { Index = 0, Value = CloneNamespaceFlags, ValueTwo = 0, Op = "SCMP_CMP_MASKED_EQ" }],
            });
            syscalls.Add(new SpecSyscall { Names = ["clone3"], Action = "SCMP_ACT_ERRNO", ErrnoRet = ENOSYS });
        }

        AddIf(syscalls, Has("CAP_SYS_BOOT"), "reboot");
        AddIf(syscalls, Has("CAP_SYS_CHROOT"), "chroot");
        AddIf(syscalls, Has("CAP_SYS_MODULE"), "delete_module", "init_module", "finit_module");
        AddIf(syscalls, Has("CAP_SYS_PACCT"), "acct");
        AddIf(syscalls, Has("CAP_SYS_PTRACE"), "kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv", "process_vm_writev", "ptrace");
        AddIf(syscalls, Has("CAP_SYS_RAWIO"), "iopl", "ioperm");
        AddIf(syscalls, Has("CAP_SYS_TIME"), "settimeofday", "stime", "clock_settime", "clock_settime64");
        AddIf(syscalls, Has("CAP_SYS_TTY_CONFIG"), "vhangup");
        AddIf(syscalls, Has("CAP_SYS_NICE"), "get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node");
        AddIf(syscalls, Has("CAP_SYSLOG"), "syslog");
        AddIf(syscalls, Has("CAP_BPF"), "bpf");
        AddIf(syscalls, Has("CAP_PERFMON"), "perf_event_open");

        return new SpecSeccomp
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            DefaultErrnoRet = EPERM,
            Architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
            Syscalls = syscalls,
        };
    }

    private static SpecSyscall Allow(params string[] names) => new() { Names = [.. names], Action = "SCMP_ACT_ALLOW" };

    private static SpecSyscall AllowIf(string name, SpecSyscallArg arg) =>
        new() { Names = [name], Action = "SCMP_ACT_ALLOW", Args = [arg] };

    private static SpecSyscallArg Arg(uint index, ulong value, string op) => new() { Index = index, Value = value, Op = op };

    private static void AddIf(List<SpecSyscall> syscalls, bool condition, params string[] names)
    {
        if (condition)
        {
            syscalls.Add(Allow(names));
        }
    }
}
