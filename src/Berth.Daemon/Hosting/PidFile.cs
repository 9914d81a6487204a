using System.Globalization;
using Berth.Core.Errors;

namespace Berth.Daemon.Hosting;

/// <summary>berthd's pid file: refuses to start if it names a live berthd, replaces a stale one, removed on exit.</summary>
internal sealed class PidFile : IDisposable
{
    private PidFile(string path) => Path = path;

    public string Path { get; }

    public static PidFile Create(string path)
    {
        if (File.Exists(path)
            && int.TryParse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture, out int pid)
            && pid != Environment.ProcessId
            && IsBerthd(pid))
        {
            throw Errors.Conflict($"pid file found, ensure berthd is not running or delete {path} (process {pid} is alive)");
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        string temp = path + ".tmp";
        File.WriteAllText(temp, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        File.Move(temp, path, overwrite: true);
        return new PidFile(path);
    }

    private static bool IsBerthd(int pid)
    {
        try
        {
            string comm = File.ReadAllText($"/proc/{pid}/comm").Trim();
            return comm.StartsWith("berthd", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // Best effort on the way out.
        }
    }
}
