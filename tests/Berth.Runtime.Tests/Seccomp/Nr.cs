namespace Berth.Runtime.Tests.Seccomp;

/// <summary>Syscall numbers the tests use, from the kernel's tables, written out independently of the compiler's.</summary>
internal static class Nr
{
    // x86_64
    public const uint Read = 0, Write = 1, Open = 2, Getpid = 39, Socket = 41, Clone = 56, Fork = 57, Ptrace = 101,
        Personality = 135, ArchPrctl = 158, Chroot = 161, Mount = 165, Umount2 = 166, Swapon = 167, Reboot = 169,
        Sethostname = 170, InitModule = 175, AddKey = 248, Keyctl = 250, Unshare = 272, Setns = 308, Clone3 = 435,
        FileSetattr = 469, RtSigaction = 13, Chown = 92;

    // x32 (without the 0x40000000 bit): "common" entries share x86_64's numbers, the compat ones are 512..547.
    public const uint X32RtSigaction = 512, X32Execve = 520;

    // i386
    public const uint I386Read = 3, I386Write = 4, I386Getpid = 20, I386Mount = 21, I386Socketcall = 102,
        I386Clone = 120, I386Chown32 = 212, I386Unshare = 310, I386Clone3 = 435;
}
