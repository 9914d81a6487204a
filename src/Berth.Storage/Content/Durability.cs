using Berth.Linux;
using Microsoft.Win32.SafeHandles;

namespace Berth.Storage.Content;

/// <summary>The fsync half of "write temp → fsync → rename → fsync dir" (ARCHITECTURE.md §4).</summary>
internal static class Durability
{
    /// <summary>
    /// fsyncs a directory so a rename into it survives a crash. .NET refuses to open directories as files, so the
    /// fd comes from the Linux layer and is lent (not owned) to a SafeFileHandle for RandomAccess.FlushToDisk.
    /// </summary>
    public static void FlushDirectory(string path)
    {
        using SafeFd directory = FileDescriptors.OpenDirectory(path);
        using var handle = new SafeFileHandle(directory.DangerousGetHandle(), ownsHandle: false);
        RandomAccess.FlushToDisk(handle);
    }
}
