using System.Diagnostics;
using System.Text.Json;
using Berth.Linux;

namespace Berth.Runtime.Shim;

/// <summary>
/// Launches shims for a daemon, keeping one started ahead in standby (<c>berth-runtime shim --standby</c>): it has
/// done its process start-up and the first-use work of the create path (JSON and seccomp tables) before it is
/// needed, so a container start pays neither. A standby reads its flags as one JSON line on stdin; when the daemon
/// goes away its stdin ends and it exits. One standby costs one idle shim process (about 4 MiB).
/// </summary>
public sealed class ShimLauncher(string runtimeBinary) : IDisposable
{
    private readonly Lock _gate = new();
    private Process? _standby;
    private bool _disposed;

    /// <summary>Starts the standby now rather than at the first launch.</summary>
    public void Prime()
    {
        lock (_gate)
        {
            _standby ??= _disposed ? null : StartStandby();
        }
    }

    /// <summary>As <see cref="ShimClient.LaunchAsync"/>, through the standby when one is up.</summary>
    public async Task<ShimClient> LaunchAsync(ShimOptions shim, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(shim);
        Process? standby;
        lock (_gate)
        {
            standby = _standby;
            _standby = null;
        }

        try
        {
            using (standby)
            {
                if (standby is not null && await TryHandOverAsync(standby, shim))
                {
                    return await ShimClient.AwaitReadinessAsync(standby, shim, cancellationToken);
                }
            }

            // No standby, or it died (killed by someone): a fresh shim does the job.
            return await ShimClient.LaunchAsync(new ShimLaunchOptions { RuntimeBinary = runtimeBinary, Shim = shim }, cancellationToken);
        }
        finally
        {
            // The next standby starts once this launch is through, off the caller's path: started earlier, its
            // start-up would compete for the CPU with the launch it is there to spare.
            _ = Task.Run(Prime, CancellationToken.None);
        }
    }

    public void Dispose()
    {
        Process? standby;
        lock (_gate)
        {
            _disposed = true;
            standby = _standby;
            _standby = null;
        }

        if (standby is not null)
        {
            // End of its stdin: it exits without doing anything.
            try
            {
                standby.StandardInput.Close();
            }
            catch (IOException)
            {
            }

            standby.Dispose();
        }
    }

    private static async Task<bool> TryHandOverAsync(Process standby, ShimOptions shim)
    {
        try
        {
            await standby.StandardInput.WriteLineAsync(JsonSerializer.Serialize([.. ShimClient.Arguments(shim)], ShimJsonContext.Default.StringArray));
            standby.StandardInput.Close();
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private Process? StartStandby()
    {
        Process? process;
        try
        {
            process = Process.Start(ShimClient.StartInfo(runtimeBinary, ["shim", StandbyFlag], ShimLaunchOptions.DefaultEnvironment, standby: true));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // the binary is gone: launches start shims the plain way and say why
        }

        // Niced from its first instruction: its runtime start-up, before any code of ours runs in it, otherwise takes
        // the CPU from the container exit or start it happens beside (measured: 3 ms of a run's exit on two cores).
        if (process is not null)
        {
            try
            {
                Processes.SetNiceness(process.Id, StandbyNiceness);
            }
            catch (LinuxException)
            {
            }
        }

        return process;
    }

    /// <summary>The flag (after <c>shim</c>) of a standby shim.</summary>
    public const string StandbyFlag = "--standby";

    /// <summary>A standby's nice value until it has work (it then returns to 0 itself).</summary>
    private const int StandbyNiceness = 10;
}
