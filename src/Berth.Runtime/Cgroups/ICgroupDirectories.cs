namespace Berth.Runtime.Cgroups;

/// <summary>
/// The two directory operations where cgroupfs differs from a plain file system: mkdir makes the kernel
/// populate control files, and rmdir removes a cgroup even though it still lists those files (they cannot
/// be unlinked). Everything else (reading and writing control files) is plain file I/O on both, so this is
/// the only seam; tests substitute a fixture that imitates the kernel here.
/// </summary>
internal interface ICgroupDirectories
{
    /// <summary>Creates one cgroup directory; its parent exists.</summary>
    void Make(string path);

    /// <summary>Removes one empty cgroup (plain rmdir). Throws the file-system exception for the errno.</summary>
    void Remove(string path);
}
