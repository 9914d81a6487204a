namespace Berth.Linux;

/// <summary>The fields of <c>struct stat</c> that layer code needs, read without following a final symlink.</summary>
public readonly record struct FileStatus(
    ulong Inode, ulong LinkCount, uint Mode, int Uid, int Gid, ulong Device, long Size, long MtimeSeconds, long MtimeNanoseconds)
{
    public const uint TypeMask = 0xF000, Fifo = 0x1000, CharDevice = 0x2000, Directory = 0x4000, BlockDevice = 0x6000,
        Regular = 0x8000, Symlink = 0xA000, Socket = 0xC000;

    public uint Type => Mode & TypeMask;

    /// <summary>Permission bits including setuid, setgid and sticky (07777).</summary>
    public int Permissions => (int)(Mode & 0xFFF);

    public bool IsDirectory => Type == Directory;

    public uint DeviceMajor => (uint)(((Device >> 8) & 0xfff) | ((Device >> 32) & ~0xfffUL));

    public uint DeviceMinor => (uint)((Device & 0xff) | ((Device >> 12) & ~0xffUL));

    /// <summary>glibc makedev.</summary>
    public static ulong MakeDevice(uint major, uint minor) =>
        ((major & 0xfffUL) << 8) | ((major & ~0xfffUL) << 32) | (minor & 0xffUL) | ((minor & ~0xffUL) << 12);
}
