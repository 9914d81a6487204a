using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Berth.Linux;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Seccomp;

/// <summary>
/// Compiled filters kept in <paramref name="directory"/>. What decides a program (the profile's actions, architectures
/// and rules, and this runtime binary itself, so that a rebuilt compiler never reads an older compiler's output) is
/// written out as text: the file is named by a 64-bit FNV-1a hash of that text and holds the text itself, which must
/// match exactly, before the program. (A cryptographic digest would load OpenSSL into every shim: more memory and CPU
/// than the compile it saves.) A daemon's containers share a handful of profiles; compiling one was a tenth of the
/// shim's CPU per container. Files are written whole (temp, then rename) and only by root, like the state beside them;
/// a cache that cannot be read or written is simply not used.
/// </summary>
internal sealed class SeccompCache(string directory)
{
    /// <summary>Enough for every profile a daemon uses; beyond it, new profiles are compiled without being kept.</summary>
    private const int MaxEntries = 64;

    private static readonly Lazy<string> RuntimeStamp = new(StampOfThisBinary);

    public byte[] Compile(SpecSeccomp profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        byte[] key = Encoding.UTF8.GetBytes(KeyText(profile));
        string path = Path.Combine(directory, FileNameOf(key));
        if (TryRead(path, key) is { } cached)
        {
            return cached;
        }

        byte[] program = SeccompCompiler.Compile(profile);
        TryStore(path, key, program);
        return program;
    }

    /// <summary>The cache file's name for a profile.</summary>
    internal static string FileNameOf(SpecSeccomp profile) => FileNameOf(Encoding.UTF8.GetBytes(KeyText(profile)));

    private static string FileNameOf(byte[] key)
    {
        ulong hash = 14695981039346656037;
        foreach (byte b in key)
        {
            hash = (hash ^ b) * 1099511628211;
        }

        return hash.ToString("x16", CultureInfo.InvariantCulture) + ".bpf";
    }

    /// <summary>Everything that decides the program, one line per part.</summary>
    private static string KeyText(SpecSeccomp profile)
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

        return text.ToString();
    }

    /// <summary>The program stored for exactly this key text, if a whole one is.</summary>
    private static byte[]? TryRead(string path, byte[] key)
    {
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            byte[] file = File.ReadAllBytes(path);
            if (file.Length < 4 || BinaryPrimitives.ReadInt32LittleEndian(file) != key.Length || file.Length < 4 + key.Length
                || !file.AsSpan(4, key.Length).SequenceEqual(key))
            {
                return null;
            }

            byte[] program = file[(4 + key.Length)..];
            return program.Length > 0 && program.Length % 8 == 0 ? program : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void TryStore(string path, byte[] key, byte[] program)
    {
        string temp = path + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".tmp";
        try
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            if (Directory.EnumerateFiles(directory, "*.bpf").Take(MaxEntries).Count() >= MaxEntries)
            {
                return;
            }

            byte[] file = new byte[4 + key.Length + program.Length];
            BinaryPrimitives.WriteInt32LittleEndian(file, key.Length);
            key.CopyTo(file, 4);
            program.CopyTo(file, 4 + key.Length);
            File.WriteAllBytes(temp, file);
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
