using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Berth.Linux;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Seccomp;

/// <summary>
/// Compiled filters kept in <paramref name="directory"/>, named by a digest of what decides the program: the profile's
/// actions, architectures and rules, and this runtime binary itself (a rebuilt compiler never reads an older
/// compiler's output). A daemon's containers share a handful of profiles; compiling one was a tenth of the shim's CPU
/// per container. Files are written whole (temp, then rename) and only by root, like the state beside them; a cache
/// that cannot be read or written is simply not used.
/// </summary>
internal sealed class SeccompCache(string directory)
{
    /// <summary>Enough for every profile a daemon uses; beyond it, new profiles are compiled without being kept.</summary>
    private const int MaxEntries = 64;

    private static readonly Lazy<string> RuntimeStamp = new(StampOfThisBinary);

    public byte[] Compile(SpecSeccomp profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        string path = Path.Combine(directory, Key(profile) + ".bpf");
        if (TryRead(path) is { } cached)
        {
            return cached;
        }

        byte[] program = SeccompCompiler.Compile(profile);
        TryStore(path, program);
        return program;
    }

    /// <summary>The digest naming a profile's program (hex).</summary>
    internal static string Key(SpecSeccomp profile)
    {
        var text = new StringBuilder(16 * 1024)
            .Append(RuntimeStamp.Value).Append('\n')
            .Append(profile.DefaultAction).Append(' ').Append(profile.DefaultErrnoRet).Append('\n')
            .AppendJoin(',', profile.Architectures ?? []).Append('\n');
        foreach (SpecSyscall syscall in profile.Syscalls ?? [])
        {
            text.AppendJoin(',', syscall.Names).Append(' ').Append(syscall.Action).Append(' ').Append(syscall.ErrnoRet);
            foreach (SpecSyscallArg arg in syscall.Args ?? [])
            {
                text.Append(CultureInfo.InvariantCulture, $" {arg.Index}:{arg.Op}:{arg.Value}:{arg.ValueTwo}");
            }

            text.Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static byte[]? TryRead(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            byte[] program = File.ReadAllBytes(path);
            return program.Length > 0 && program.Length % 8 == 0 ? program : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void TryStore(string path, byte[] program)
    {
        string temp = path + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".tmp";
        try
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            if (Directory.EnumerateFiles(directory, "*.bpf").Take(MaxEntries).Count() >= MaxEntries)
            {
                return;
            }

            File.WriteAllBytes(temp, program);
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _ = TryDelete(temp);
        }
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Identity, size and modification time of the running binary, the compiler's version in effect.</summary>
    private static string StampOfThisBinary() =>
        Environment.ProcessPath is { } self && FileSystemOps.TryStat(self) is { } status
            ? FormattableString.Invariant($"{self} {status.Device}:{status.Inode} {status.Size} {status.MtimeSeconds}.{status.MtimeNanoseconds}")
            : "unknown " + Guid.NewGuid().ToString("N");
}
