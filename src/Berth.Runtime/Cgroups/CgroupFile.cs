using System.Globalization;
using System.Text;
using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Cgroups;

/// <summary>
/// Reading and writing cgroup control files. Writes open an existing file for writing (truncating, which
/// cgroupfs ignores and a fixture needs) and never create one: on cgroupfs a missing file means the
/// controller or feature is absent, and O_CREAT there fails with a confusing errno. Failures become
/// <see cref="LinuxException"/>s that name the value and the file.
/// </summary>
internal static class CgroupFile
{
    public static void Write(string directory, string name, string value)
    {
        Errno errno = TryWrite(directory, name, value);
        if (errno != Errno.None)
        {
            throw new LinuxException(errno, $"write \"{value}\" to", Path.Join(directory, name));
        }
    }

    public static void Write(string directory, string name, long value) =>
        Write(directory, name, value.ToString(CultureInfo.InvariantCulture));

    public static void Write(string directory, string name, ulong value) =>
        Write(directory, name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Writes and returns the errno instead of throwing, for callers that react to EINVAL or ENOENT.</summary>
    public static Errno TryWrite(string directory, string name, string value)
    {
        string path = Path.Join(directory, name);
        try
        {
            using SafeFileHandle handle = File.OpenHandle(path, FileMode.Truncate, FileAccess.Write, FileShare.ReadWrite);
            RandomAccess.Write(handle, Encoding.UTF8.GetBytes(value), fileOffset: 0);
            return Errno.None;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ErrnoOf(ex);
        }
    }

    public static bool Exists(string directory, string name) => File.Exists(Path.Join(directory, name));

    /// <summary>The file's content without the trailing newline, or null when the file does not exist.</summary>
    public static string? TryRead(string directory, string name)
    {
        string path = Path.Join(directory, name);
        try
        {
            return File.ReadAllText(path).TrimEnd('\n');
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LinuxException(ErrnoOf(ex), "read", path);
        }
    }

    /// <summary>
    /// The value of <paramref name="key"/> in a flat-keyed file ("oom_kill 3" lines in memory.events,
    /// memory.oom_control, cgroup.events); null when the file or the key is absent.
    /// </summary>
    public static long? TryReadKeyed(string directory, string name, string key)
    {
        string? content = TryRead(directory, name);
        if (content is null)
        {
            return null;
        }

        foreach (string line in content.Split('\n'))
        {
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && line.AsSpan(0, space).SequenceEqual(key)
                && long.TryParse(line.AsSpan(space + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>
    /// The errno behind a .NET file-system exception. On Unix the runtime puts the raw errno in HResult for
    /// the errors it has no dedicated exception type for (EBUSY, EINVAL, ENOTEMPTY, ...).
    /// </summary>
    public static Errno ErrnoOf(Exception ex) => ex switch
    {
        FileNotFoundException or DirectoryNotFoundException => Errno.ENOENT,
        UnauthorizedAccessException => Errno.EACCES,
        IOException { HResult: > 0 and < 4096 } io => (Errno)io.HResult,
        _ => Errno.EIO,
    };
}
