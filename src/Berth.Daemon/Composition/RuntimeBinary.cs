using Berth.Core.Errors;

namespace Berth.Daemon.Composition;

/// <summary>Finds berth-runtime: an absolute path as configured, else next to berthd (how `make install` lays them
/// out), else on PATH.</summary>
internal static class RuntimeBinary
{
    public static string Locate(string configured)
    {
        ArgumentException.ThrowIfNullOrEmpty(configured);
        if (Path.IsPathRooted(configured))
            return File.Exists(configured) ? configured : throw Errors.FailedPrecondition($"runtime {configured} does not exist");
        string? env = Environment.GetEnvironmentVariable("BERTH_RUNTIME");
        if (!string.IsNullOrEmpty(env) && File.Exists(env))
            return env;
        string besideDaemon = Path.Combine(AppContext.BaseDirectory, configured);
        if (File.Exists(besideDaemon))
            return besideDaemon;
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, configured);
            if (File.Exists(candidate))
                return candidate;
        }
        throw Errors.FailedPrecondition($"cannot find the container runtime \"{configured}\" next to berthd or on PATH");
    }
}
