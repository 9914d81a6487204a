using System.Globalization;
using static Berth.Linux.Interop.Libc;

namespace Berth.Linux;

/// <summary>Signals, pidfds, waiting and exec for processes we manage by pid.</summary>
public static class Processes
{
    public static Errno TryKill(int pid, int signal) => Check.Try(kill(pid, signal));

    public static SafeFd? TryOpenPidFd(int pid)
    {
        int fd = (int)syscall(SYS_pidfd_open, pid, 0, 0, 0, 0, 0);
        if (fd < 0)
        {
            return null;
        }

        _ = fcntl(fd, F_SETFD, 1);
        return new SafeFd(fd);
    }

    /// <summary>Signals through a pidfd, so a recycled pid can never receive it.</summary>
    public static Errno TrySignal(SafeFd pidFd, int signal)
    {
        ArgumentNullException.ThrowIfNull(pidFd);
        return Check.Try(syscall(SYS_pidfd_send_signal, pidFd.Fd, signal, 0, 0, 0, 0));
    }

    /// <summary>
    /// setns on the calling thread. Joining a pid namespace only sets where this thread's children are born:
    /// spawn from a thread of its own (it can no longer create threads) to start a process inside one.
    /// </summary>
    public static void JoinNamespace(SafeFd namespaceFd, NamespaceFlags type)
    {
        ArgumentNullException.ThrowIfNull(namespaceFd);
        Check.Io(setns(namespaceFd.Fd, (int)type), $"setns {type}");
    }

    /// <summary>Waits for a child and returns its status the shell way: the exit code, or 128 + signal.</summary>
    public static unsafe int WaitForExit(int pid)
    {
        int status;
        while (wait4(pid, &status, 0, null) < 0)
        {
            if (ErrnoText.Last != Errno.EINTR)
            {
                throw new LinuxException(ErrnoText.Last, "wait4", pid.ToString(CultureInfo.InvariantCulture));
            }
        }

        return DecodeStatus(status);
    }

    /// <summary>Reaps a child if it has exited; null while it runs.</summary>
    public static unsafe int? TryReap(int pid)
    {
        int status;
        int rc = wait4(pid, &status, WNOHANG, null);
        return rc == pid ? DecodeStatus(status) : null;
    }

    public static int DecodeStatus(int status)
    {
        int signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }

    /// <summary>Sets the calling thread's nice value (Linux keeps it per thread; threads started later inherit it); lowering it needs CAP_SYS_NICE.</summary>
    public static void SetNiceness(int nice) => SetNiceness(0, nice);

    /// <summary>Sets the nice value of thread <paramref name="tid"/> (a process's pid names its main thread).</summary>
    public static void SetNiceness(int tid, int nice) =>
        Check.Io(setpriority(PRIO_PROCESS, (uint)tid, nice), "setpriority");

    /// <summary>Orphaned descendants are reparented to us, so we can reap them (and learn their exit codes).</summary>
    public static void BecomeSubreaper() =>
        Check.Io(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "prctl PR_SET_CHILD_SUBREAPER");

    /// <summary>Replaces this process; returns only by throwing.</summary>
    public static unsafe void Exec(string path, IReadOnlyList<string> args, IReadOnlyList<string> environment)
    {
        using var memory = new NativeArena();
        _ = execve(memory.Utf8(path), memory.Utf8Array(args), memory.Utf8Array(environment));
        throw new LinuxException(ErrnoText.Last, "exec", path);
    }

    /// <summary>Whether the calling user may execute the file (access X_OK with the real ids).</summary>
    public static bool IsExecutable(string path) => access(path, 1) == 0 && !Directory.Exists(path);
    /// <summary>Reaps any exited child (a subreaper also gets orphans): its pid and status, or null when none is waiting.</summary>
    public static unsafe (int Pid, int Status)? TryReapAny()
    {
        int status;
        int rc = wait4(-1, &status, WNOHANG, null);
        return rc > 0 ? (rc, DecodeStatus(status)) : null;
    }

    /// <summary>setsid: leaves the caller's session and process group (a shim must outlive its launcher's terminal and group).</summary>
    public static void NewSession() => Check.Io(setsid(), "setsid");
}
