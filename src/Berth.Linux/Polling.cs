using static Berth.Linux.Interop.Libc;

namespace Berth.Linux;

/// <summary>poll(2) over a caller-built set: the single-threaded event loop of a shim.</summary>
public static class Polling
{
    /// <summary>Waits until an fd is ready or the timeout passes; returns the count of ready fds (0 on timeout or EINTR).</summary>
    public static unsafe int Wait(Span<PollSlot> slots, int timeoutMs)
    {
        fixed (PollSlot* p = slots)
        {
            int rc = poll((PollFd*)p, (ulong)slots.Length, timeoutMs);
            if (rc < 0 && ErrnoText.Last == Errno.EINTR)
            {
                return 0;
            }

            return Check.Io(rc, "poll");
        }
    }
}
