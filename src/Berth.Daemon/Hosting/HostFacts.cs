using System.Globalization;
using System.Runtime.InteropServices;

namespace Berth.Daemon.Hosting;

/// <summary>Facts about the machine for <c>/info</c> and <c>/version</c>, read from /proc, /sys and /etc (root paths injectable for tests).</summary>
internal sealed class HostFacts(string procRoot = "/proc", string etcRoot = "/etc", string cgroupRoot = "/sys/fs/cgroup")
{
    public string KernelVersion => ReadTrimmed(Path.Combine(procRoot, "sys/kernel/osrelease")) ?? "unknown";

    public string Hostname => ReadTrimmed(Path.Combine(procRoot, "sys/kernel/hostname")) ?? Environment.MachineName;

    public static int CpuCount => Environment.ProcessorCount;

    /// <summary>MemTotal from /proc/meminfo, in bytes.</summary>
    public long MemoryTotal
    {
        get
        {
            string? meminfo = ReadAll(Path.Combine(procRoot, "meminfo"));
            string? line = meminfo?.Split('\n').FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            string[] parts = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
            return parts.Length >= 2 && long.TryParse(parts[1], CultureInfo.InvariantCulture, out long kib) ? kib * 1024 : 0;
        }
    }

    public string OperatingSystem => OsRelease("PRETTY_NAME") ?? "Linux";

    public string OsVersion => OsRelease("VERSION_ID") ?? "";

    /// <summary>"2" on the unified hierarchy, else "1".</summary>
    public string CgroupVersion => File.Exists(Path.Combine(cgroupRoot, "cgroup.controllers")) ? "2" : "1";

    /// <summary>The architecture as <c>uname -m</c> prints it (Docker's Info.Architecture).</summary>
    public static string UnameMachine => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "x86_64",
        Architecture.Arm64 => "aarch64",
        Architecture.Arm => "armv7l",
        Architecture.X86 => "i686",
        Architecture.S390x => "s390x",
        Architecture.Ppc64le => "ppc64le",
        Architecture.RiscV64 => "riscv64",
        _ => RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
    };

    /// <summary>The architecture as Go names it (Docker's Version.Arch).</summary>
    public static string GoArch => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.Arm => "arm",
        Architecture.X86 => "386",
        _ => RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
    };

    public int OpenFileDescriptors
    {
        get
        {
            try
            {
                return Directory.GetFileSystemEntries(Path.Combine(procRoot, "self/fd")).Length;
            }
            catch (IOException)
            {
                return 0;
            }
        }
    }

    private string? OsRelease(string key)
    {
        string? text = ReadAll(Path.Combine(etcRoot, "os-release"));
        string? line = text?.Split('\n').FirstOrDefault(l => l.StartsWith(key + "=", StringComparison.Ordinal));
        return line?[(key.Length + 1)..].Trim().Trim('"');
    }

    private static string? ReadTrimmed(string path) => ReadAll(path)?.Trim();

    private static string? ReadAll(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
