using Berth.Core.Errors;
using Berth.Linux;
using Berth.Runtime.Hooks;
using Berth.Runtime.State;

namespace Berth.Runtime.Lifecycle;

public sealed partial class OciRuntime
{
    /// <summary>Releases the init blocked on the exec fifo; it then execs the container's process.</summary>
    public void Start(string id) => Start(store.Load(id));

    private void Start(ContainerState state)
    {
        string id = state.Id;
        switch (StatusOf(state))
        {
            case ContainerStatus.Stopped:
                throw Errors.FailedPrecondition("cannot start a container that has stopped");
            case ContainerStatus.Running or ContainerStatus.Paused:
                throw Errors.FailedPrecondition("cannot start an already running container");
        }

        // The pidfd first: once the fifo is open the init may exec, and a short process may exit and be reaped
        // by the caller (conmon, a shim) before a later pidfd_open could find it.
        using SafeFd pidFd = Processes.TryOpenPidFd(state.Pid)
            ?? throw Errors.FailedPrecondition("cannot start a container that has stopped");
        string fifoPath = store.ExecFifoOf(id);
        using SafeFd fifo = FileDescriptors.Open(fifoPath, FileDescriptors.ReadOnly | FileDescriptors.NonBlocking);

        // Opening the fifo for reading lets the init's blocked open for writing complete; it then writes one
        // byte. If the init dies instead, its pidfd becomes readable.
        Span<byte> buffer = stackalloc byte[1];
        while (true)
        {
            // The fifo comes first: when the init has written its byte and its process already exited, both are
            // ready, and the container did start.
            int ready = FileDescriptors.WaitReadable([fifo, pidFd], -1);
            if (ready == 1 && !HasByte(fifo))
            {
                throw Errors.FailedPrecondition("cannot start a container that has stopped");
            }

            try
            {
                if (ready == 1 || FileDescriptors.Read(fifo, buffer) == 1)
                {
                    break;
                }
            }
            catch (LinuxException ex) when (ex.Errno == Errno.EAGAIN)
            {
            }
        }

        File.Delete(fifoPath);
        try
        {
            HookRunner.RunAll("poststart", state.Hooks?.Poststart, ToOciState(state));
        }
        catch (BerthException ex)
        {
            Warn?.Invoke(ex.Message); // the spec: warn, and the container keeps running
        }
    }

    private static bool HasByte(SafeFd fifo)
    {
        Span<byte> buffer = stackalloc byte[1];
        try
        {
            return FileDescriptors.Read(fifo, buffer) == 1;
        }
        catch (LinuxException ex) when (ex.Errno == Errno.EAGAIN)
        {
            return false;
        }
    }
}
