using System.Runtime.InteropServices;

namespace Berth.Linux;

/// <summary>One entry of a poll(2) set, laid out as the kernel's struct pollfd.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct PollSlot
{
    public const short In = 1, Out = 4, Error = 8, HangUp = 16, Invalid = 32;

    public int Fd;
    public short Events;
    public short Returned;

    public PollSlot(int fd, short events)
    {
        Fd = fd;
        Events = events;
        Returned = 0;
    }

    /// <summary>Readable, or in a state where a read reports why (hang-up, error).</summary>
    public readonly bool IsReadable => (Returned & (In | Error | HangUp | Invalid)) != 0;
}
