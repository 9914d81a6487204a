namespace Berth.Testing;

/// <summary>The chainable form of <see cref="Requires"/>: <c>Requires.Root().Runc()</c>.</summary>
public sealed class Requirements
{
    internal static readonly Requirements Instance = new();

    private Requirements()
    {
    }

    public Requirements Root()
    {
        if (!Requires.PrivilegedRun)
        {
            Assert.Skip($"privileged test; set {Requires.PrivilegedVariable}=1 and run as root");
        }

        if (!Environment.IsPrivilegedProcess)
        {
            Requires.Missing("root (euid 0)");
        }

        return this;
    }

    public Requirements Runc()
    {
        if (!IsExecutable(RuntimeRunner.RuncPath))
        {
            Requires.Missing($"runc at {RuntimeRunner.RuncPath} (apt-get install runc, or set BERTH_RUNC)");
        }

        return this;
    }

    /// <summary>The runtime under test: BERTH_RUNTIME names an executable.</summary>
    public Requirements Runtime()
    {
        string? path = RuntimeRunner.RuntimeUnderTestPath;
        if (string.IsNullOrEmpty(path))
        {
            Requires.Missing("BERTH_RUNTIME (absolute path of the berth-runtime binary under test)");
        }
        else if (!IsExecutable(path))
        {
            Requires.Missing($"the runtime under test: BERTH_RUNTIME={path} is not an executable file");
        }

        return this;
    }

    public Requirements BerthRuntime()
    {
        Runtime();
        if (RuntimeRunner.RuntimeUnderTestIsReferenceRuntime)
        {
            Assert.Skip($"berth-runtime only; BERTH_RUNTIME={RuntimeRunner.RuntimeUnderTestPath} is a reference runtime (harness validation)");
        }

        return this;
    }

    public Requirements Busybox()
    {
        if (!File.Exists(BusyboxBundle.BusyboxPath))
        {
            Requires.Missing($"a static busybox at {BusyboxBundle.BusyboxPath} (apt-get install busybox-static)");
        }

        return this;
    }

    /// <summary>tmux, to drive a program through a real pty (<see cref="TmuxSession"/>).</summary>
    public Requirements Tmux()
    {
        if (!IsExecutable(TmuxSession.TmuxPath))
        {
            Requires.Missing($"tmux at {TmuxSession.TmuxPath} (apt-get install tmux; make deps)");
        }

        return this;
    }

    public Requirements Overlayfs()
    {
        if (!File.ReadAllText("/proc/filesystems").Contains("\toverlay\n", StringComparison.Ordinal))
        {
            Requires.Missing("overlayfs (modprobe overlay)");
        }

        return this;
    }

    /// <summary>A cgroup v1 hierarchy for <paramref name="controller"/> is mounted at /sys/fs/cgroup/<c>controller</c>.</summary>
    public Requirements CgroupV1(string controller)
    {
        if (!File.Exists(Path.Combine("/sys/fs/cgroup", controller, "cgroup.procs")))
        {
            Requires.Missing($"the cgroup v1 {controller} controller at /sys/fs/cgroup/{controller}");
        }

        return this;
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
