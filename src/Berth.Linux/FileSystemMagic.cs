namespace Berth.Linux;

/// <summary>statfs f_type values (linux/magic.h) that callers tell apart.</summary>
public static class FileSystemMagic
{
    public const long Tmpfs = 0x01021994;

    public const long Ramfs = 0x858458f6;
}
