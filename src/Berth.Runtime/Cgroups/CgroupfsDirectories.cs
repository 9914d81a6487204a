namespace Berth.Runtime.Cgroups;

/// <summary>The real cgroupfs: mkdir and a plain (non-recursive) rmdir.</summary>
internal sealed class CgroupfsDirectories : ICgroupDirectories
{
    public static CgroupfsDirectories Instance { get; } = new();

    private CgroupfsDirectories() { }

    public void Make(string path) => Directory.CreateDirectory(path);

    // recursive: false is rmdir(2). A recursive delete would try to unlink the control files, which cgroupfs refuses.
    public void Remove(string path) => Directory.Delete(path, recursive: false);
}
