using System.Runtime.InteropServices;

namespace Berth.Linux;

/// <summary>An owned file descriptor.</summary>
public sealed class SafeFd : SafeHandle
{
    public SafeFd() : base(invalidHandleValue: -1, ownsHandle: true) { }

    public SafeFd(int fd, bool ownsHandle = true) : base(invalidHandleValue: -1, ownsHandle) => SetHandle(fd);

    public override bool IsInvalid => handle == -1;

    public int Fd => (int)handle;

    protected override bool ReleaseHandle() => Interop.Libc.close((int)handle) == 0;
}
