using System.Runtime.InteropServices;
using Berth.Linux;
using Berth.Linux.Spawn;

namespace Berth.Runtime.Lifecycle;

/// <summary>
/// Staying attached to a process we started (run, exec without --detach): forward the usual terminating
/// signals to it, bridge our stdio to its pty (raw mode, window size) when it has one, and return its status.
/// </summary>
internal static class ForegroundProcess
{
    private static readonly PosixSignal[] Forwarded = [PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT];

    public static int Wait(SpawnedProcess process, SafeFd? console)
    {
        var registrations = Forwarded.Select(signal => PosixSignalRegistration.Create(signal, context =>
        {
            context.Cancel = true;
            _ = Processes.TrySignal(process.PidFd, SignalNumber(context.Signal));
        })).ToList();
        byte[]? savedTerminal = null;
        Thread? output = null;
        try
        {
            if (console is not null)
            {
                savedTerminal = Terminal.MakeRaw(0);
                CopySize(console);
                registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => CopySize(console)));
                output = Copy(console, new SafeFd(1, ownsHandle: false));
                _ = Copy(new SafeFd(0, ownsHandle: false), console);
            }

            int status = Processes.WaitForExit(process.Pid);
            output?.Join(TimeSpan.FromSeconds(2)); // the rest of the output, until the pty reports hang-up
            return status;
        }
        finally
        {
            registrations.ForEach(r => r.Dispose());
            if (savedTerminal is not null)
            {
                Terminal.Restore(0, savedTerminal);
            }
        }
    }

    private static void CopySize(SafeFd console)
    {
        if (Terminal.GetSize(0) is { } size)
        {
            Terminal.SetSize(console, size.Rows, size.Columns);
        }
    }

    /// <summary>Pumps bytes on a background thread until EOF or an error (EIO when a pty's other side is gone).</summary>
    private static Thread Copy(SafeFd from, SafeFd to)
    {
        var thread = new Thread(() =>
        {
            byte[] buffer = new byte[16 * 1024];
            try
            {
                int n;
                while ((n = FileDescriptors.Read(from, buffer)) > 0)
                {
                    FileDescriptors.Write(to, buffer.AsSpan(0, n));
                }
            }
            catch (LinuxException)
            {
            }
        })
        { IsBackground = true };
        thread.Start();
        return thread;
    }

    private static int SignalNumber(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGINT => 2,
        PosixSignal.SIGQUIT => 3,
        PosixSignal.SIGTERM => 15,
        _ => (int)signal,
    };
}
